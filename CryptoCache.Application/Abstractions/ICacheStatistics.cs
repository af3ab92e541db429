namespace CryptoCache.Application.Abstractions;

/// <summary>What the cache and the provider budget can say about themselves, for operators.</summary>
public interface ICacheStatistics
{
    /// <summary>Entries in this replica's memory cache.</summary>
    long MemoryEntries { get; }

    /// <summary>Calls left in the current minute of the provider budget, as of the last call; null until known.</summary>
    int? BudgetRemaining { get; }

    /// <summary>True when the cache is shared through Redis.</summary>
    bool Distributed { get; }
}
