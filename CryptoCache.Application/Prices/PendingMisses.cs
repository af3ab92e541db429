using CryptoCache.Domain;

namespace CryptoCache.Application.Prices;

/// <summary>What <see cref="IPendingMisses.Read"/> found.</summary>
/// <param name="InBatches">
/// Pairs whose misses wait in a batch here (open, claiming, or its call in flight) or for another replica's call: an
/// answer for them is on its way.
/// </param>
/// <param name="HeldBack">Pairs whose misses wait here for the refresher's call (the budget left being the refresher's).</param>
public sealed record PendingMisses(IReadOnlySet<PricePair> InBatches, IReadOnlySet<PricePair> HeldBack)
{
    public static readonly PendingMisses None = new(new HashSet<PricePair>(), new HashSet<PricePair>());
}
