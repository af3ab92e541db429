namespace CryptoCache.Application.Admin.GetCacheStats;

/// <summary>This replica's cache figures and the shared provider budget.</summary>
public sealed record CacheStatsDto
{
    /// <summary>Entries in this replica's memory cache.</summary>
    public required long Entries { get; init; }

    public required long Hits { get; init; }

    public required long Misses { get; init; }

    public required long Stale { get; init; }

    /// <summary>Requests refused a price (nothing cached and the provider could not be asked).</summary>
    public required long Refused { get; init; }

    /// <summary>Hits and stale answers over all lookups since start; null before the first lookup.</summary>
    public double? HitRatio { get; init; }

    /// <summary>Share of answers that were fresh (hits and misses) since start.</summary>
    public double? FreshShare { get; init; }

    /// <summary>Share of answers that were stale since start.</summary>
    public double? StaleShare { get; init; }

    /// <summary>Share of lookups refused since start.</summary>
    public double? RefusedShare { get; init; }

    /// <summary>Provider calls made in the last 60 s by all replicas (by this one alone without Redis), as of the last call.</summary>
    public int? ProviderCallsLastMinute { get; init; }

    public int? BudgetRemaining { get; init; }

    public required int MaxCallsPerMinute { get; init; }

    /// <summary>True when the cache is shared through Redis.</summary>
    public required bool Distributed { get; init; }

    /// <summary>Pairs in the hot set this replica last refreshed from (the cluster's when it leads, its own otherwise).</summary>
    public required int HotPairs { get; init; }

    /// <summary>True while this replica refreshes the hot set for the whole cluster (or for itself without Redis).</summary>
    public required bool RefresherLeader { get; init; }

    /// <summary>Refresh calls this replica made since start.</summary>
    public required long RefreshCalls { get; init; }

    /// <summary>Average pairs per refresh call; null before the first.</summary>
    public double? PairsPerRefreshCall { get; init; }
}
