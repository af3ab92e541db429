using CryptoCache.Domain;

namespace CryptoCache.Application.Prices;

/// <summary>The misses this replica is fetching now: what the refresher leaves to the batch that has them.</summary>
public interface IPendingMisses
{
    /// <summary>
    /// True while a miss of the pair waits in a batch here (open, claiming, its call in flight) or waits for another
    /// replica's call: an answer for it is on its way.
    /// </summary>
    bool IsPending(PricePair pair);
}
