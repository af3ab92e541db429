namespace CryptoCache.Application.Admin.GetCacheStats;

/// <summary>This replica's cache figures and the shared provider budget.</summary>
public sealed record CacheStatsDto
{
    /// <summary>Entries in this replica's memory cache.</summary>
    public required long Entries { get; init; }

    public required long Hits { get; init; }

    public required long Misses { get; init; }

    public required long Stale { get; init; }

    /// <summary>Hits and stale answers over all lookups since start; null before the first lookup.</summary>
    public double? HitRatio { get; init; }

    /// <summary>Provider calls made in the last 60 s by all replicas (by this one alone without Redis), as of the last call.</summary>
    public int? ProviderCallsLastMinute { get; init; }

    public int? BudgetRemaining { get; init; }

    public required int MaxCallsPerMinute { get; init; }

    /// <summary>True when the cache is shared through Redis.</summary>
    public required bool Distributed { get; init; }
}
