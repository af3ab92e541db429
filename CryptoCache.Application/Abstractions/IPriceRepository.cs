using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>
/// The price cache, shared by every replica. <see cref="GetOrFetchAsync"/> runs <c>fetch</c> at most once per pair at
/// a time across all replicas, and answers with the last known entry when <c>fetch</c> fails, for as long as that entry
/// may be served.
/// </summary>
public interface IPriceRepository
{
    /// <summary>The cached entry for the pair, however old (up to <c>Cache:MaxStaleSeconds</c>), without calling anyone; null when none.</summary>
    ValueTask<PriceEntry?> TryGetAsync(PricePair pair, CancellationToken cancellationToken);

    /// <summary>The cached entry for the pair, running <paramref name="fetch"/> when there is none fresh.</summary>
    ValueTask<PriceEntry> GetOrFetchAsync(PricePair pair, Func<PricePair, CancellationToken, Task<PriceEntry>> fetch, CancellationToken cancellationToken);

    /// <summary>Stores a fetched entry and tells every replica.</summary>
    ValueTask SetAsync(PricePair pair, PriceEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the entries one provider call brought, all at once, an unknown pair for the short negative TTL only; returns
    /// once the shared store holds them, so that a replica woken by <see cref="IFetchLocks.ReleaseAsync"/> finds them.
    /// </summary>
    /// <param name="entries">The entries.</param>
    /// <param name="tellReplicas">
    /// False when no replica can hold an older entry of these pairs (nothing was cached anywhere when they were
    /// claimed): the other replicas are then not told, which spares each of them a message per pair.
    /// </param>
    /// <param name="cancellationToken">The token.</param>
    ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>> entries, bool tellReplicas, CancellationToken cancellationToken);

    /// <summary>The cached list of supported quote currencies, running <paramref name="fetch"/> when there is none fresh.</summary>
    ValueTask<IReadOnlyList<string>> GetOrFetchCurrenciesAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> fetch, CancellationToken cancellationToken);

    /// <summary>Forgets a pair on every replica, so that the next request asks the provider.</summary>
    ValueTask RemoveAsync(PricePair pair, CancellationToken cancellationToken);

    /// <summary>The cached coin list, running <paramref name="fetch"/> when there is none fresh (<c>Cache:CoinsListTtlSeconds</c>).</summary>
    ValueTask<IReadOnlyList<CoinListing>> GetOrFetchCoinsListAsync(Func<CancellationToken, Task<IReadOnlyList<CoinListing>>> fetch, CancellationToken cancellationToken);

    /// <summary>The cached entry for a token price, however old, without calling anyone; null when none.</summary>
    ValueTask<PriceEntry?> TryGetTokenAsync(TokenPair token, CancellationToken cancellationToken);

    /// <summary>The cached entry for a token price, running <paramref name="fetch"/> when there is none fresh; fail-safe like a price.</summary>
    ValueTask<PriceEntry> GetOrFetchTokenAsync(TokenPair token, Func<TokenPair, CancellationToken, Task<PriceEntry>> fetch, CancellationToken cancellationToken);
}
