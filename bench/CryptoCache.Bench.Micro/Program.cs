using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// BenchmarkDotNet's command line (<c>--filter</c>, <c>--job</c>, <c>--join</c>, ...); bench/micro.sh runs it. The
/// benchmark classes are public and unsealed because the runner BenchmarkDotNet generates derives from them.
/// </summary>
internal static class Program
{
    // Not top-level statements: those would declare a global Program beside the API's, which it exposes to its tests.
    private static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.WithOrderer(new PipelineOrderer()));
}
