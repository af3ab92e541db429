using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>
/// The cross-replica locks that keep each pair to one provider call at a time: the very locks the cache's own factory
/// takes (<see cref="IPriceRepository.GetOrFetchAsync"/>), here claimed and released for a whole batch in one round
/// trip each rather than one lock, one poll loop and one release per pair.
/// </summary>
public interface IFetchLocks
{
    /// <summary>
    /// Takes, in one round trip, the lock of every pair that no other replica holds, and says which of them already have
    /// something cached (another replica may have fetched them since this one looked), and which of
    /// <paramref name="lookUp"/> (pairs the call brings though nobody waits for them) have nothing cached anywhere. When
    /// the shared store is unreachable, or there is none, every pair is granted: the in-process batch is then the only
    /// protection.
    /// </summary>
    ValueTask<FetchClaim> ClaimAsync(IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> lookUp, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the claim's locks of <paramref name="pairs"/> (all of them when null), in one round trip, and wakes the
    /// replicas waiting for them. Call it once the fetched entries are cached, so that a woken waiter finds them.
    /// </summary>
    ValueTask ReleaseAsync(FetchClaim claim, IReadOnlyCollection<PricePair>? pairs, CancellationToken cancellationToken);
}
