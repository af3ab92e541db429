namespace CryptoCache.Application.Abstractions;

/// <summary>What the cache can say about itself, for operators.</summary>
public interface ICacheStatistics
{
    /// <summary>Entries in this replica's memory cache.</summary>
    long MemoryEntries { get; }

    /// <summary>True when the cache is shared through Redis.</summary>
    bool Distributed { get; }
}
