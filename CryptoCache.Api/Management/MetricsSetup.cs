using Prometheus;

namespace CryptoCache.Api.Management;

/// <summary>What the management port's /metrics exports besides our own metrics and the HTTP server metrics.</summary>
internal static class MetricsSetup
{
    public static void Configure()
    {
        // No event counter adapter. It enables ASP.NET Core's hosting, Kestrel's and the sockets' event sources, and
        // an enabled source counts every request and every socket read and write in counters shared by all threads
        // (hosting's request totals, Kestrel's queue lengths, the sockets' byte counts), which a bare MVC app does
        // not do. It exported nothing for that: at the Critical level set here before, no counter payload came
        // through, and at its default level it would add per-request events. The runtime's figures come from the
        // System.Runtime meter below, process figures from prometheus-net's own collectors.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });

        // Only the runtime's meter (GC, thread pool, CPU, memory: observed when scraped). The others record on every
        // request or connection (ASP.NET Core's hosting, routing, Kestrel and memory-pool meters, FusionCache's
        // operations) and repeat what HttpServerMetrics and our own counters export already; listening to them cost
        // the hit path a measurement callback, a tag array and a label lookup each time.
        Metrics.ConfigureMeterAdapter(options =>
            options.InstrumentFilterPredicate = instrument => instrument.Meter.Name == "System.Runtime");

        // Exemplars are trace ids attached to samples; nothing here collects traces, and building one for every
        // increment allocated on every request.
        Metrics.DefaultFactory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None };
    }
}
