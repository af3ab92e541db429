using CryptoCache.Application.Prices.Models;
using Prometheus;

namespace CryptoCache.Application.Diagnostics;

/// <summary>
/// The Application's Prometheus metrics (prometheus-net, exported on the management port): how each price lookup
/// was answered, with running totals for the admin view, and how many pairs each provider call carried.
/// </summary>
public sealed class ApplicationMetrics
{
    private static readonly Counter Lookups = Metrics.CreateCounter(
        "cryptocache_cache_lookups_total",
        "Price lookups by how they were answered: hit (fresh from cache), miss (provider called), stale (fail-safe).",
        "result");

    private static readonly Histogram BatchPairs = Metrics.CreateHistogram(
        "cryptocache_provider_batch_pairs",
        "Pairs carried by one provider call (micro-batching).",
        new HistogramConfiguration { Buckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] });

    private readonly Counter.Child _hits = Lookups.WithLabels("hit");
    private readonly Counter.Child _misses = Lookups.WithLabels("miss");
    private readonly Counter.Child _stale = Lookups.WithLabels("stale");
    private long _hitCount;
    private long _missCount;
    private long _staleCount;

    public long Hits => Interlocked.Read(ref _hitCount);

    public long Misses => Interlocked.Read(ref _missCount);

    public long Stale => Interlocked.Read(ref _staleCount);

    internal void Record(PriceLookup lookup)
    {
        if (lookup.Stale)
        {
            _stale.Inc();
            Interlocked.Increment(ref _staleCount);
        }
        else if (lookup.Cached)
        {
            _hits.Inc();
            Interlocked.Increment(ref _hitCount);
        }
        else
        {
            _misses.Inc();
            Interlocked.Increment(ref _missCount);
        }
    }

    internal static void RecordBatch(int pairs) => BatchPairs.Observe(pairs);
}
