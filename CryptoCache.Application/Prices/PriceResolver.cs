using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices;

/// <summary>Resolves a pair through the cache and the batcher, and says how fresh the answer is.</summary>
internal sealed class PriceResolver(IPriceRepository repository, PriceBatcher batcher, ApplicationMetrics metrics, IOptions<CacheOptions> cacheOptions, TimeProvider time)
{
    public const string Source = "coingecko";

    private readonly TimeSpan _ttl = cacheOptions.Value.Ttl;
    private readonly TimeSpan _maxStale = TimeSpan.FromSeconds(cacheOptions.Value.MaxStaleSeconds);

    /// <exception cref="PriceNotFoundException">The provider does not know the pair.</exception>
    /// <exception cref="ProviderUnavailableException">Nothing usable is cached and the provider cannot be asked.</exception>
    public async Task<PriceLookup> ResolveAsync(PricePair pair, CancellationToken cancellationToken)
    {
        var requestedAt = time.GetUtcNow();
        var entry = await repository.GetOrFetchAsync(pair, batcher.FetchAsync, cancellationToken).ConfigureAwait(false);
        if (entry.Price is not { } price)
        {
            throw new PriceNotFoundException(pair);
        }

        var age = time.GetUtcNow() - entry.FetchedAt;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero; // another replica's clock ran a little ahead
        }

        if (age > _ttl && age > _maxStale)
        {
            // Past what may be served: an answer this old would be a wrong price, not a stale one.
            throw new ProviderUnavailableException(ProviderFailure.Error, "The price provider is unavailable and the last known price is older than Cache:MaxStaleSeconds.", TimeSpan.FromSeconds(5));
        }

        var lookup = new PriceLookup(
            pair.Coin.Value,
            pair.Currency.Value,
            price,
            // Fetched before this request began: it came from the cache, not from a call made for it.
            Cached: entry.FetchedAt < requestedAt,
            Stale: age > _ttl,
            AgeSeconds: (int)age.TotalSeconds,
            FreshForSeconds: Math.Max(0, (int)(_ttl - age).TotalSeconds),
            entry.FetchedAt.UtcDateTime,
            entry.LastUpdatedAt?.UtcDateTime,
            Source);
        metrics.Record(lookup);
        return lookup;
    }
}
