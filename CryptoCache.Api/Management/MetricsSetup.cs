using System.Diagnostics.Tracing;
using Prometheus;

namespace CryptoCache.Api.Management;

/// <summary>What the management port's /metrics exports besides our own metrics and prometheus-net's HTTP metrics.</summary>
internal static class MetricsSetup
{
    /// <summary>
    /// Meters that record on every request and only repeat what is exported already: ASP.NET Core's request duration
    /// and route matching (prometheus-net's <c>http_request_duration_seconds</c> and <c>http_requests_received_total</c>
    /// say the same) and FusionCache's per-operation counters (<c>cryptocache_cache_lookups_total</c>). Listening to them
    /// cost the hit path a measurement callback, tag arrays and label lookups per request.
    /// </summary>
    private static readonly string[] PerRequestDuplicates = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Routing", "ZiggyCreatures.Caching.Fusion"];

    public static void Configure()
    {
        Metrics.ConfigureMeterAdapter(options =>
            // QUIC's internal diagnostics are noise for an HTTP/1.1 service.
            options.InstrumentFilterPredicate = instrument => !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal)
                                                              && !PerRequestDuplicates.Contains(instrument.Meter.Name, StringComparer.Ordinal));

        // Event counters arrive at LogAlways, which every level lets through; the default (Informational) also
        // subscribed to ASP.NET Core's per-request start and stop events, which nothing exports.
        Metrics.ConfigureEventCounterAdapter(options =>
            options.EventSourceSettingsProvider = _ => new EventCounterAdapterEventSourceSettings { MinimumLevel = EventLevel.Critical });

        // Exemplars are trace ids attached to samples; nothing here collects traces, and building one for every
        // increment allocated on every request.
        Metrics.DefaultFactory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None };
    }
}
