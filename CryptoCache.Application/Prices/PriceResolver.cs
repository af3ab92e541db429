using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices;

/// <summary>
/// Resolves a pair through the cache, and says how fresh the answer is. Pairs clients keep asking for are the
/// refresher's: a request for one is answered from the cache whatever its age (stale and marked when the refresher
/// could not keep it fresh) and never calls the provider. Only a pair with nothing usable cached goes to the provider,
/// through the batcher, at most once at a time across replicas.
/// </summary>
internal sealed class PriceResolver(
    IPriceRepository repository,
    PriceBatcher batcher,
    HotSet hotSet,
    EngineStatistics statistics,
    IPriceProvider provider,
    IOptions<CacheOptions> cacheOptions,
    TimeProvider time)
{
    private readonly TimeSpan _staleWait = TimeSpan.FromMilliseconds(cacheOptions.Value.FactorySoftTimeoutMilliseconds);

    // The provider's timeout plus the batch window and a lock hand-over: past this, no answer is coming.
    private readonly TimeSpan _missWait = provider.CallTimeout + TimeSpan.FromSeconds(2);

    private readonly TimeSpan _ttl = cacheOptions.Value.Ttl;
    private readonly TimeSpan _maxStale = cacheOptions.Value.MaxStale;
    private readonly TimeSpan _unknownTtl = TimeSpan.FromSeconds(cacheOptions.Value.UnknownCoinTtlSeconds);

    /// <exception cref="PriceNotFoundException">The provider does not know the pair.</exception>
    /// <exception cref="ProviderUnavailableException">Nothing usable is cached and the provider cannot be asked.</exception>
    public async Task<PriceLookup> ResolveAsync(PricePair pair, CancellationToken cancellationToken)
    {
        var requestedAt = time.GetUtcNow();
        var refreshed = hotSet.Record(pair);
        var cached = await repository.TryGetAsync(pair, cancellationToken).ConfigureAwait(false);
        if (cached is not null && Usable(cached, requestedAt, refreshed))
        {
            return Answer(pair, cached, requestedAt);
        }

        PriceEntry entry;
        try
        {
            var fetching = repository.GetOrFetchAsync(pair, batcher.FetchAsync, cancellationToken).AsTask();
            if (cached is { IsKnown: true } && requestedAt - cached.FetchedAt <= _maxStale)
            {
                // Something usable is cached: no request waits long for a lock or a provider for it. The fetch goes on
                // and lands in the cache for the next request.
                if (await Task.WhenAny(fetching, Task.Delay(_staleWait, time, cancellationToken)).ConfigureAwait(false) != fetching)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return Answer(pair, cached, requestedAt);
                }
            }

            // Nothing cached: the wait is bounded by the provider's own timeout, whoever holds the lock.
            entry = await fetching.WaitAsync(_missWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            statistics.Answered(LookupResult.Refused);
            throw new ProviderUnavailableException(ProviderFailure.Timeout, "The price provider did not answer in time.", TimeSpan.FromSeconds(5), ex);
        }
        catch (ProviderUnavailableException)
        {
            statistics.Answered(LookupResult.Refused);
            throw;
        }

        return Answer(pair, entry, requestedAt);
    }

    /// <summary>Fresh; or older but within the stale limit for a pair the refresher looks after.</summary>
    private bool Usable(PriceEntry entry, DateTimeOffset now, bool refreshed)
    {
        var age = now - entry.FetchedAt;
        return entry.IsKnown
            ? age <= _ttl || (refreshed && age <= _maxStale)
            : age <= _unknownTtl;
    }

    private PriceLookup Answer(PricePair pair, PriceEntry entry, DateTimeOffset requestedAt)
    {
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
            statistics.Answered(LookupResult.Refused);
            throw new ProviderUnavailableException(ProviderFailure.Error, "The price provider is unavailable and the last known price is older than Cache:MaxStaleSeconds.", TimeSpan.FromSeconds(5));
        }

        var lookup = new PriceLookup(
            pair.Coin.Value,
            pair.Currency.Value,
            price,
            entry.MarketCap,
            entry.Volume24h,
            entry.Change24h,
            // Fetched before this request began: it came from the cache, not from a call made for it.
            Cached: entry.FetchedAt < requestedAt,
            Stale: age > _ttl,
            AgeSeconds: (int)age.TotalSeconds,
            FreshForSeconds: Math.Max(0, (int)(_ttl - age).TotalSeconds),
            entry.FetchedAt.UtcDateTime,
            entry.LastUpdatedAt?.UtcDateTime,
            entry.Source ?? string.Empty);
        statistics.Answered(lookup.Stale ? LookupResult.Stale : lookup.Cached ? LookupResult.Hit : LookupResult.Miss);
        return lookup;
    }
}
