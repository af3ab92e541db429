using CryptoCache.Application.Abstractions;
using Prometheus;

namespace CryptoCache.Infrastructure.Diagnostics;

/// <summary>The engine's metrics, exported by prometheus-net on the management port. Children are bound once: no label lookups per request.</summary>
internal sealed class PrometheusEngineMetrics : IEngineMetrics
{
    private static readonly Counter Lookups = Metrics.CreateCounter(
        "cryptocache_cache_lookups_total",
        "Price lookups by how they were answered: hit (fresh from cache), miss (provider called), stale (older than the TTL, served because it could not be refreshed), refused (no price to give).",
        "result");

    private static readonly Histogram BatchPairs = Metrics.CreateHistogram(
        "cryptocache_provider_batch_pairs",
        "Pairs carried by one provider call made for misses (micro-batching).",
        new HistogramConfiguration { Buckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] });

    private static readonly Counter RefreshCalls = Metrics.CreateCounter(
        "cryptocache_refresh_calls_total",
        "Provider calls made by the refresher to keep hot pairs fresh.");

    private static readonly Histogram RefreshPairs = Metrics.CreateHistogram(
        "cryptocache_refresh_call_pairs",
        "Hot pairs refreshed by one refresher call.",
        new HistogramConfiguration { Buckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });

    private static readonly Gauge HotPairsGauge = Metrics.CreateGauge(
        "cryptocache_hot_pairs",
        "Pairs in the hot set this replica refreshes from (the cluster's while it leads, its own otherwise).");

    private static readonly Gauge LeaderGauge = Metrics.CreateGauge(
        "cryptocache_refresher_leader",
        "1 while this replica refreshes the hot set (for the cluster, or for itself without Redis), else 0.");

    private static readonly Counter QuotaPairs = Metrics.CreateCounter(
        "cryptocache_client_quota_total",
        "Cold pairs (nothing cached, a provider call needed) charged to their client (allowed) or refused because the client spent its share (refused). No per-client label.",
        "outcome");

    private static readonly Counter.Child QuotaAllowed = QuotaPairs.WithLabels("allowed");
    private static readonly Counter.Child QuotaRefused = QuotaPairs.WithLabels("refused");

    private static readonly Counter.Child[] ByResult =
        [Lookups.WithLabels("hit"), Lookups.WithLabels("miss"), Lookups.WithLabels("stale"), Lookups.WithLabels("refused")];

    public void Answered(LookupResult result) => ByResult[(int)result].Inc();

    public void MissBatch(int pairs) => BatchPairs.Observe(pairs);

    public void ClientQuota(int allowed, int refused)
    {
        QuotaAllowed.Inc(allowed);
        QuotaRefused.Inc(refused);
    }

    public void RefreshCall(int pairs)
    {
        RefreshCalls.Inc();
        RefreshPairs.Observe(pairs);
    }

    public void HotPairs(int count) => HotPairsGauge.Set(count);

    public void Leader(bool isLeader) => LeaderGauge.Set(isLeader ? 1 : 0);
}
