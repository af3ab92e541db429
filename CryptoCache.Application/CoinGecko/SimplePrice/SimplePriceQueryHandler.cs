using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Prices;
using CryptoCache.Domain;
using MediatR;

namespace CryptoCache.Application.CoinGecko.SimplePrice;

/// <summary>
/// Serves <c>/simple/price</c> from the price cache: every coin × currency pair through <see cref="PriceResolver"/>
/// (so misses are batched into few provider calls and one cached quote serves every include flag and precision).
/// </summary>
internal sealed class SimplePriceQueryHandler(PriceResolver resolver, CoinCatalog coins, CurrencyCatalog currencies)
    : IRequestHandler<SimplePriceQuery, CoinGeckoPriceMap>
{
    public async Task<CoinGeckoPriceMap> Handle(SimplePriceQuery request, CancellationToken cancellationToken)
    {
        var wanted = await SupportedCurrenciesAsync(currencies, CoinGeckoRules.Items(request.VsCurrencies), cancellationToken).ConfigureAwait(false);
        if (wanted.Count == 0)
        {
            return new CoinGeckoPriceMap([], null); // CoinGecko leaves an unsupported currency out; none left, nothing to ask
        }

        var groups = await CandidatesAsync(request, cancellationToken).ConfigureAwait(false);
        var distinct = groups.SelectMany(g => g).Distinct().ToArray();
        var pairs = distinct.SelectMany(coin => wanted.Select(currency => new PricePair(coin, currency))).ToArray();

        // All pairs at once: hits come from the cache together, the cold misses are charged to the client in one go,
        // and they meet in one provider call.
        var lookups = await resolver.ResolveManyAsync(pairs, cancellationToken).ConfigureAwait(false);
        var outcomes = await Task.WhenAll(lookups.Select(OutcomeAsync)).ConfigureAwait(false);
        var quotes = new Dictionary<PricePair, QuoteView>();
        Exception? failure = null;
        for (var i = 0; i < pairs.Length; i++)
        {
            if (outcomes[i].Quote is { } quote)
            {
                quotes[pairs[i]] = quote;
            }

            // A refusal of this client's share wins: retrying after its Retry-After is what helps.
            failure = failure is ClientQuotaExceededException ? failure : outcomes[i].Failure ?? failure;
        }

        if (quotes.Count == 0 && failure is not null)
        {
            throw failure; // nothing to give: the client should retry rather than read an empty map
        }

        var entries = new List<CoinGeckoPriceEntry>();
        var freshness = new List<CacheFreshness>();
        var seen = new HashSet<CoinId>();
        foreach (var group in groups)
        {
            if (Pick(group, wanted[0], quotes) is not { } coin || !seen.Add(coin))
            {
                continue;
            }

            var found = wanted.Where(c => quotes.ContainsKey(new PricePair(coin, c))).Select(c => (c, quotes[new PricePair(coin, c)])).ToList();
            if (found.Count == 0)
            {
                continue; // unknown coin: simply absent, as with CoinGecko
            }

            entries.Add(new CoinGeckoPriceEntry(coin.Value, CoinGeckoRules.Fields(found, QuoteFlags.From(request))));
            freshness.AddRange(found.Select(f => f.Item2.Freshness));
        }

        return new CoinGeckoPriceMap(entries, CacheFreshness.Combine(freshness));
    }

    /// <summary>Well-formed codes the provider supports, in the request's order; when the list cannot be had, all of them.</summary>
    internal static async Task<List<Currency>> SupportedCurrenciesAsync(CurrencyCatalog catalog, IEnumerable<string> codes, CancellationToken cancellationToken)
    {
        var result = new List<Currency>();
        foreach (var currency in codes.Select(Currency.From).Distinct())
        {
            if (await catalog.IsSupportedAsync(currency.Value, cancellationToken).ConfigureAwait(false) ?? true)
            {
                result.Add(currency);
            }
        }

        return result;
    }

    /// <summary>
    /// One group per requested coin: a single id for <c>ids</c>, <c>names</c> and <c>include_tokens=all</c>; every coin
    /// sharing the symbol for <c>include_tokens=top</c>, of which the one with the highest market cap is kept.
    /// </summary>
    private async Task<List<CoinId[]>> CandidatesAsync(SimplePriceQuery request, CancellationToken cancellationToken)
    {
        var ids = CoinGeckoRules.Items(request.Ids);
        if (ids.Length > 0)
        {
            return [.. ids.Select(id => new[] { CoinId.From(id) })];
        }

        var index = await coins.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        var names = CoinGeckoRules.Items(request.Names);
        if (names.Length > 0)
        {
            return [.. names.SelectMany(name => Lookup(index.ByName, name)).Select(id => new[] { id })];
        }

        var symbols = CoinGeckoRules.Items(request.Symbols);
        return request.AllTokens
            ? [.. symbols.SelectMany(symbol => Lookup(index.BySymbol, symbol)).Select(id => new[] { id })]
            : [.. symbols.Select(symbol => Lookup(index.BySymbol, symbol).ToArray()).Where(group => group.Length > 0)];
    }

    private static IEnumerable<CoinId> Lookup(System.Collections.Frozen.FrozenDictionary<string, IReadOnlyList<Abstractions.CoinListing>> index, string key) =>
        index.TryGetValue(key, out var listings)
            ? listings.Select(l => CoinId.TryFrom(l.Id, out var id) ? id : (CoinId?)null).OfType<CoinId>()
            : [];

    /// <summary>The coin of a group with the highest market cap in the first currency (a coin without one ranks last; ties: list order).</summary>
    internal static CoinId? Pick(CoinId[] group, Currency first, IReadOnlyDictionary<PricePair, QuoteView> quotes)
    {
        if (group.Length == 1)
        {
            return group[0];
        }

        CoinId? best = null;
        decimal? bestCap = null;
        foreach (var coin in group)
        {
            if (!quotes.TryGetValue(new PricePair(coin, first), out var quote))
            {
                continue;
            }

            if (best is null || (quote.MarketCap ?? -1) > (bestCap ?? -1))
            {
                best = coin;
                bestCap = quote.MarketCap;
            }
        }

        return best;
    }

    private static async Task<Outcome> OutcomeAsync(Task<Prices.Models.PriceLookup> pending)
    {
        try
        {
            var lookup = await pending.ConfigureAwait(false);
            return new Outcome(
                new QuoteView(
                    lookup.Price,
                    lookup.MarketCap,
                    lookup.Volume24h,
                    lookup.Change24h,
                    lookup.LastUpdatedAt is { } stamp ? new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Utc)) : null,
                    new CacheFreshness(!lookup.Cached, lookup.Stale, lookup.AgeSeconds)),
                null);
        }
        catch (PriceNotFoundException)
        {
            return new Outcome(null, null);
        }
        catch (ProviderUnavailableException ex)
        {
            return new Outcome(null, ex);
        }
        catch (ClientQuotaExceededException ex)
        {
            return new Outcome(null, ex);
        }
    }

    private sealed record Outcome(QuoteView? Quote, Exception? Failure);
}
