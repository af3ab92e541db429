namespace CryptoCache.Bench.Profile;

/// <summary>
/// The pieces of the hit path a sample is charged to: the innermost frame of its stack that names one of them wins, so
/// that, say, JSON written inside an MVC result filter counts as JSON, and a cache read inside the handler as the cache.
/// The order matters: more specific pieces first.
/// </summary>
internal static class Layers
{
    public const string Other = "other";

    private static readonly (string Layer, string[] Marks)[] All =
    [
        // A thread stopped at a GC poll waits for a collection, wherever it happened to be: charged to the GC, not to
        // the layer it stopped in (which made MediatR's Send look like 5 µs of a /simple/price hit).
        ("GC (threads stopped for a collection)", ["PollGC"]),
        ("freshness headers filter", ["FreshnessHeadersFilter"]),
        ("client key middleware", ["ClientKeyMiddleware", "HttpClientContext", "ClientKeys"]),
        ("validation (behaviour, FluentValidation)", ["FluentValidation", "ValidationBehaviour", "PriceRules", "CurrencyCatalog", "QueryValidator"]),
        ("mapping (AutoMapper)", ["AutoMapper"]),
        ("cache read (FusionCache, repository)", ["FusionCache", "FusionPriceRepository", "Caching.Memory"]),
        ("resolver, statistics, hot set", ["PriceResolver", "EngineStatistics", "HotSet", "PrometheusEngineMetrics", "CoinCatalog"]),
        ("handler", ["QueryHandler"]),
        ("MediatR", ["MediatR"]),
        ("logging scopes", ["BeginScope", "LoggerFactoryScopeProvider"]),
        ("JSON, output formatter", ["System.Text.Json", "OutputFormatter", "ObjectResultExecutor", "FormatterSelector", "CoinGeckoPriceMapConverter"]),
        ("model binding, MVC validation", ["ModelBinding", "ParameterBinder", "BindArgumentsAsync", "ValueProvider", "SingleQueryValue"]),
        ("MVC invoker, filters, controller", ["Mvc.Infrastructure", "Mvc.Filters", "Mvc.Routing", "Mvc.Controllers", "Controllers."]),
        ("HTTP metrics", ["Prometheus", "HttpServerMetrics"]),
        ("authentication, authorization middlewares", ["Authentication", "Authorization"]),
        ("routing", ["Routing"]),
        ("error handling, CORS", ["StatusCodePages", "ExceptionHandler", "EmptyErrorProblems", "Cors", "UseWhen"]),
        ("hosting (context, activity)", ["Hosting", "Activity"]),
        ("Kestrel, sockets, pipes", ["Kestrel", "Sockets", "Pipelines", "System.Net"]),
    ];

    /// <summary>Every layer in table order, <see cref="Other"/> last.</summary>
    public static IEnumerable<string> Names => All.Select(l => l.Layer).Append(Other);

    /// <summary>The layer of a stack given innermost frame first.</summary>
    public static string Of(IEnumerable<string> frames)
    {
        foreach (var frame in frames)
        {
            foreach (var (layer, marks) in All)
            {
                if (marks.Any(mark => frame.Contains(mark, StringComparison.Ordinal)))
                {
                    return layer;
                }
            }
        }

        return Other;
    }
}
