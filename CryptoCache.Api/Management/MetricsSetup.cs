using System.Diagnostics.Tracing;
using Prometheus;

namespace CryptoCache.Api.Management;

/// <summary>What the management port's /metrics exports besides our own metrics and the HTTP server metrics.</summary>
internal static class MetricsSetup
{
    public static void Configure()
    {
        // Only the runtime's meter (GC, thread pool, CPU, memory: observed when scraped). The others record on every
        // request or connection (ASP.NET Core's hosting, routing, Kestrel and memory-pool meters, FusionCache's
        // operations) and repeat what HttpServerMetrics and our own counters export already; listening to them cost
        // the hit path a measurement callback, a tag array and a label lookup each time.
        Metrics.ConfigureMeterAdapter(options =>
            options.InstrumentFilterPredicate = instrument => instrument.Meter.Name == "System.Runtime");

        // Event counters arrive at LogAlways, which every level lets through; the default (Informational) also
        // subscribed to ASP.NET Core's per-request start and stop events, which nothing exports.
        Metrics.ConfigureEventCounterAdapter(options =>
            options.EventSourceSettingsProvider = _ => new EventCounterAdapterEventSourceSettings { MinimumLevel = EventLevel.Critical });

        // Exemplars are trace ids attached to samples; nothing here collects traces, and building one for every
        // increment allocated on every request.
        Metrics.DefaultFactory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None };
    }
}
