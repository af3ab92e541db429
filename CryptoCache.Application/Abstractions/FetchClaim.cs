using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>What <see cref="IFetchLocks.ClaimAsync"/> obtained for a batch of pairs.</summary>
/// <param name="Granted">Pairs whose lock this replica now holds: it fetches them, caches them and releases them.</param>
/// <param name="Cached">Granted pairs of which something is cached already: read them again before calling the provider.</param>
/// <param name="Held">
/// Pairs another replica is fetching, each with a task that completes when that replica releases the lock (or, should
/// the word be lost, after a short fallback interval): then the cache has the entry, or the lock is free to claim again.
/// </param>
/// <param name="Handle">The lock store's own token for the release; null when nothing is held in a shared store.</param>
/// <param name="UncachedElsewhere">
/// Of the pairs only looked up (not claimed), those with nothing cached anywhere: no replica can hold an older entry of
/// them. Empty when that is not known.
/// </param>
public sealed record FetchClaim(
    IReadOnlySet<PricePair> Granted,
    IReadOnlySet<PricePair> Cached,
    IReadOnlyDictionary<PricePair, Task> Held,
    object? Handle,
    IReadOnlySet<PricePair>? UncachedElsewhere = null)
{
    /// <summary>Of the pairs only looked up, those with nothing cached anywhere (none when not known).</summary>
    public IReadOnlySet<PricePair> UncachedElsewhere { get; } = UncachedElsewhere ?? new HashSet<PricePair>();

    /// <summary>Every pair granted, none held: there is no other replica to ask, or it cannot be asked.</summary>
    public static FetchClaim All(IReadOnlyCollection<PricePair> pairs) =>
        new(pairs.ToHashSet(), new HashSet<PricePair>(), new Dictionary<PricePair, Task>(), null);
}
