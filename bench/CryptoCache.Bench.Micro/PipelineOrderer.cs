using System.Collections.Immutable;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// Rows in the order a request meets the pieces, each class's benchmarks as declared: the joined table reads as the
/// hit path, not as BenchmarkDotNet's default interleaving of the classes' first, second, ... benchmarks.
/// </summary>
internal sealed class PipelineOrderer : IOrderer
{
    private static readonly Type[] Pipeline =
    [
        typeof(MediatorBenchmarks), typeof(ValidationBenchmarks), typeof(CacheBenchmarks), typeof(MappingBenchmarks),
        typeof(SerialisationBenchmarks), typeof(MetricsBenchmarks), typeof(LoggingScopeBenchmarks),
    ];

    private readonly DefaultOrderer _default = new(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared);

    public bool SeparateLogicalGroups => _default.SeparateLogicalGroups;

    public IEnumerable<BenchmarkCase> GetExecutionOrder(ImmutableArray<BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        InPipelineOrder(benchmarksCase);

    public IEnumerable<BenchmarkCase> GetSummaryOrder(ImmutableArray<BenchmarkCase> benchmarksCases, Summary summary) =>
        InPipelineOrder(benchmarksCases);

    public string? GetHighlightGroupKey(BenchmarkCase benchmarkCase) => _default.GetHighlightGroupKey(benchmarkCase);

    public string GetLogicalGroupKey(ImmutableArray<BenchmarkCase> allBenchmarksCases, BenchmarkCase benchmarkCase) =>
        _default.GetLogicalGroupKey(allBenchmarksCases, benchmarkCase);

    public IEnumerable<IGrouping<string, BenchmarkCase>> GetLogicalGroupOrder(IEnumerable<IGrouping<string, BenchmarkCase>> logicalGroups, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        _default.GetLogicalGroupOrder(logicalGroups, order);

    private static IEnumerable<BenchmarkCase> InPipelineOrder(IEnumerable<BenchmarkCase> cases) =>
        cases
            .OrderBy(c => Array.IndexOf(Pipeline, c.Descriptor.Type) is var i and >= 0 ? i : Pipeline.Length)
            .ThenBy(c => c.Descriptor.WorkloadMethod.MetadataToken);
}
