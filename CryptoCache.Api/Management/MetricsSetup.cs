using Prometheus;

namespace CryptoCache.Api.Management;

/// <summary>What the management port's /metrics exports besides our own metrics and prometheus-net's HTTP metrics.</summary>
internal static class MetricsSetup
{
    public static void Configure() =>
        // QUIC's internal diagnostics are noise for an HTTP/1.1 service.
        Metrics.ConfigureMeterAdapter(options =>
            options.InstrumentFilterPredicate = instrument => !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal));
}
