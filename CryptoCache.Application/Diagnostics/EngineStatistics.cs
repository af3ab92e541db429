using CryptoCache.Application.Abstractions;

namespace CryptoCache.Application.Diagnostics;

/// <summary>
/// Running totals of what the engine did, for the admin view, passed on to <see cref="IEngineMetrics"/> for the
/// exported metrics. Plain counters: the totals must not depend on whether a metrics exporter is running.
/// </summary>
public sealed class EngineStatistics(IEngineMetrics metrics)
{
    private long _hits;
    private long _misses;
    private long _stale;
    private long _refused;
    private long _refreshCalls;
    private long _refreshedPairs;
    private long _quotaAllowed;
    private long _quotaRefused;
    private int _hotPairs;
    private int _leader;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long Stale => Interlocked.Read(ref _stale);

    public long Refused => Interlocked.Read(ref _refused);

    public long RefreshCalls => Interlocked.Read(ref _refreshCalls);

    public long RefreshedPairs => Interlocked.Read(ref _refreshedPairs);

    /// <summary>Cold pairs charged to their clients.</summary>
    public long QuotaAllowed => Interlocked.Read(ref _quotaAllowed);

    /// <summary>Cold pairs refused because their client had spent its share.</summary>
    public long QuotaRefused => Interlocked.Read(ref _quotaRefused);

    public int HotPairs => Volatile.Read(ref _hotPairs);

    public bool IsLeader => Volatile.Read(ref _leader) == 1;

    public void Answered(LookupResult result)
    {
        switch (result)
        {
            case LookupResult.Hit:
                Interlocked.Increment(ref _hits);
                break;
            case LookupResult.Miss:
                Interlocked.Increment(ref _misses);
                break;
            case LookupResult.Stale:
                Interlocked.Increment(ref _stale);
                break;
            default:
                Interlocked.Increment(ref _refused);
                break;
        }

        metrics.Answered(result);
    }

    public void MissBatch(int pairs) => metrics.MissBatch(pairs);

    public void ClientQuota(int allowed, int refused)
    {
        Interlocked.Add(ref _quotaAllowed, allowed);
        Interlocked.Add(ref _quotaRefused, refused);
        metrics.ClientQuota(allowed, refused);
    }

    public void RefreshCall(int pairs)
    {
        Interlocked.Increment(ref _refreshCalls);
        Interlocked.Add(ref _refreshedPairs, pairs);
        metrics.RefreshCall(pairs);
    }

    public void HotSet(int pairs)
    {
        Volatile.Write(ref _hotPairs, pairs);
        metrics.HotPairs(pairs);
    }

    public void Leader(bool isLeader)
    {
        Volatile.Write(ref _leader, isLeader ? 1 : 0);
        metrics.Leader(isLeader);
    }
}
