using BenchmarkDotNet.Attributes;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// The hit path's metrics: the engine's answer count (running total plus its prometheus-net child), the prometheus-net
/// child alone, and the HTTP server metrics middleware around a next step that does nothing, beside the same pipeline
/// without it. The middleware is internal to the API; it is built as UseApi builds it, by type, through UseMiddleware.
/// The management port is on (its default, 9090), so AddApi has configured prometheus-net as the API runs it.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private const string MiddlewareType = "CryptoCache.Api.Management.HttpServerMetrics";

    private HitPathServices _services = null!;
    private EngineStatistics _statistics = null!;
    private IEngineMetrics _metrics = null!;
    private RequestDelegate _withMetrics = null!;
    private RequestDelegate _without = null!;
    private DefaultHttpContext _context = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = await HitPathServices.CreateAsync().ConfigureAwait(false);
        _statistics = _services.Get<EngineStatistics>();
        _metrics = _services.Get<IEngineMetrics>();

        var middleware = typeof(Api.DependencyInjection).Assembly.GetType(MiddlewareType, throwOnError: true)!;
        _withMetrics = Pipeline(app => app.UseMiddleware(middleware));
        _without = Pipeline(_ => { });

        // One context for every call, as Kestrel reuses a connection's; an endpoint, as routing has set by then.
        _context = new DefaultHttpContext { RequestServices = _services.Services };
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/price";
        _context.Request.QueryString = new QueryString($"?coin={HitPathServices.Coin}&currency={HitPathServices.Currency}");
        _context.Response.StatusCode = StatusCodes.Status200OK;
        _context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "price"));
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "EngineStatistics.Answered(Hit)")]
    public long Statistics()
    {
        _statistics.Answered(LookupResult.Hit);
        return _statistics.Hits;
    }

    [Benchmark(Description = "IEngineMetrics.Answered(Hit) (prometheus-net child)")]
    public void Prometheus() => _metrics.Answered(LookupResult.Hit);

    [Benchmark(Description = "HttpServerMetrics.InvokeAsync, no-op next")]
    public Task HttpServerMetrics() => _withMetrics(_context);

    [Benchmark(Description = "pipeline of the no-op next alone (baseline)")]
    public Task NoMiddleware() => _without(_context);

    private RequestDelegate Pipeline(Action<IApplicationBuilder> configure)
    {
        var app = new ApplicationBuilder(_services.Services);
        configure(app);
        app.Run(static _ => Task.CompletedTask);
        return app.Build();
    }
}
