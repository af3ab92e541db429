using CryptoCache.Application.Abstractions;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.CoinGecko.TokenPrice;

/// <summary>
/// Resolves token prices through the cache, one entry per platform + address + currency. The misses of one request
/// share one provider call (made at most once, by whichever miss's cache factory runs first); each key still goes
/// through the cache's factory, so it gets the stampede protection across replicas and the fail-safe of a price.
/// Misses of different requests are not merged (unlike <see cref="Prices.PriceBatcher"/>): token prices are asked
/// for far less often, and a generic batcher is left for later.
/// </summary>
internal sealed class TokenPriceResolver(IPriceRepository repository, IPriceProvider provider, IOptions<CacheOptions> cacheOptions, TimeProvider time)
{
    private readonly TimeSpan _ttl = cacheOptions.Value.Ttl;
    private readonly TimeSpan _maxStale = cacheOptions.Value.MaxStale;
    private readonly TimeSpan _unknownTtl = TimeSpan.FromSeconds(cacheOptions.Value.UnknownCoinTtlSeconds);

    /// <summary>Every token the provider knows, with its quote; unknown tokens are absent.</summary>
    /// <exception cref="ProviderUnavailableException">Nothing usable is cached for any token and the provider cannot be asked.</exception>
    public async Task<Dictionary<TokenPair, QuoteView>> ResolveAsync(string platform, IReadOnlyList<string> addresses, IReadOnlyList<Currency> currencies, CancellationToken cancellationToken)
    {
        var requestedAt = time.GetUtcNow();
        var tokens = addresses.SelectMany(a => currencies.Select(c => new TokenPair(platform, a, c))).ToArray();
        var cached = await Task.WhenAll(tokens.Select(t => repository.TryGetTokenAsync(t, cancellationToken).AsTask())).ConfigureAwait(false);

        var entries = new Dictionary<TokenPair, PriceEntry>();
        var misses = new List<TokenPair>();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (cached[i] is { } entry && Fresh(entry, requestedAt))
            {
                entries[tokens[i]] = entry;
            }
            else
            {
                misses.Add(tokens[i]);
            }
        }

        ProviderUnavailableException? outage = null;
        if (misses.Count > 0)
        {
            var missAddresses = misses.Select(t => t.Address).Distinct(StringComparer.Ordinal).ToArray();
            var missCurrencies = misses.Select(t => t.Currency).Distinct().ToArray();
            // The call is shared by this request's misses, so one of them giving up must not cancel it for the others.
            var call = new Lazy<Task<IReadOnlyList<TokenQuote>>>(() => provider.GetTokenPricesAsync(platform, missAddresses, missCurrencies, CancellationToken.None));
            var fetched = await Task.WhenAll(misses.Select(async token =>
            {
                try
                {
                    return (token, await repository.GetOrFetchTokenAsync(token, (key, _) => FetchAsync(call, key), cancellationToken).ConfigureAwait(false), (ProviderUnavailableException?)null);
                }
                catch (ProviderUnavailableException ex)
                {
                    return (token, (PriceEntry?)null, ex);
                }
            })).ConfigureAwait(false);
            foreach (var (token, entry, error) in fetched)
            {
                if (entry is not null)
                {
                    entries[token] = entry;
                }

                outage ??= error;
            }
        }

        var now = time.GetUtcNow();
        var result = new Dictionary<TokenPair, QuoteView>();
        foreach (var (token, entry) in entries)
        {
            if (entry.Price is not { } price)
            {
                continue;
            }

            var age = now - entry.FetchedAt;
            age = age < TimeSpan.Zero ? TimeSpan.Zero : age;
            if (age > _ttl && age > _maxStale)
            {
                continue; // too old to be served: a wrong price, not a stale one
            }

            result[token] = new QuoteView(price, entry.MarketCap, entry.Volume24h, entry.Change24h, entry.LastUpdatedAt,
                new CacheFreshness(entry.FetchedAt >= requestedAt, age > _ttl, (int)age.TotalSeconds));
        }

        if (result.Count == 0 && outage is not null)
        {
            throw outage;
        }

        return result;
    }

    private bool Fresh(PriceEntry entry, DateTimeOffset now) => now - entry.FetchedAt <= (entry.IsKnown ? _ttl : _unknownTtl);

    private async Task<PriceEntry> FetchAsync(Lazy<Task<IReadOnlyList<TokenQuote>>> call, TokenPair key)
    {
        var quotes = await call.Value.ConfigureAwait(false);
        var quote = quotes.FirstOrDefault(q => q.Currency == key.Currency && string.Equals(q.Address, key.Address, StringComparison.Ordinal));
        return quote is null
            ? PriceEntry.Unknown(time.GetUtcNow())
            : new PriceEntry(quote.Price, quote.FetchedAt, quote.LastUpdatedAt, quote.MarketCap, quote.Volume24h, quote.Change24h, quote.Source);
    }
}
