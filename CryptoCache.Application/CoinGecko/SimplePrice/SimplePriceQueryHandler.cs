using System.Collections.Frozen;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using MediatR;

namespace CryptoCache.Application.CoinGecko.SimplePrice;

/// <summary>
/// Serves <c>/simple/price</c> from the price cache: every coin × currency pair through <see cref="PriceResolver"/>
/// (so misses are batched into few provider calls and one cached quote serves every include flag and precision).
/// </summary>
/// <remarks>
/// Every request of the hot path comes here, so it is written for the all-hit case: the pairs are one array, coin by
/// coin (<c>coin × currencies.Length + currency</c>), their answers another array in the same order, and a coin's
/// fields are read from its slice of it; the hits are answered without a task. A request holds up to 515 × 25 pairs, so no
/// step looks anything up by scanning.
/// </remarks>
internal sealed class SimplePriceQueryHandler(PriceResolver resolver, CoinCatalog coins, CurrencyCatalog currencies)
    : IRequestHandler<SimplePriceQuery, CoinGeckoPriceMap>
{
    private static readonly CoinGeckoPriceMap Empty = new([], null);

    /// <summary>Up to this many coins are told apart by comparing each with the ones before; more get a set.</summary>
    private const int MaxScannedForDuplicates = 16;

    /// <summary>A coin's quotes in up to this many currencies are laid out on the stack (about 150 bytes each).</summary>
    private const int MaxCurrenciesOnStack = 32;

    public async Task<CoinGeckoPriceMap> Handle(SimplePriceQuery request, CancellationToken cancellationToken)
    {
        var wanted = await SupportedCurrenciesAsync(currencies, request.VsCurrencies, cancellationToken).ConfigureAwait(false);
        if (wanted.Length == 0)
        {
            return Empty; // CoinGecko leaves an unsupported currency out; none left, nothing to ask
        }

        var candidates = await CandidatesAsync(request, cancellationToken).ConfigureAwait(false);
        var width = wanted.Length;
        var pairs = new PricePair[candidates.Coins.Length * width];
        for (var c = 0; c < candidates.Coins.Length; c++)
        {
            for (var w = 0; w < width; w++)
            {
                pairs[(c * width) + w] = new PricePair(candidates.Coins[c], wanted[w]);
            }
        }

        // All pairs at once: hits come from the cache together, the cold misses are charged to the client in one go,
        // and they meet in one provider call.
        var lookups = await resolver.LookupManyAsync(pairs, cancellationToken).ConfigureAwait(false);
        var answers = new PriceLookup?[pairs.Length];
        var found = 0;
        Exception? failure = null;
        for (var i = 0; i < lookups.Length; i++)
        {
            if (lookups[i].Answer is { } answer)
            {
                answers[i] = answer;
                found++;
                continue;
            }

            try
            {
                answers[i] = await lookups[i].Pending!.ConfigureAwait(false);
                found++;
            }
            catch (PriceNotFoundException)
            {
                // unknown coin: simply absent, as with CoinGecko
            }
            catch (Exception ex) when (ex is ProviderUnavailableException or ClientQuotaExceededException)
            {
                // A refusal of this client's share wins: retrying after its Retry-After is what helps.
                failure = failure as ClientQuotaExceededException ?? ex;
            }
        }

        if (found == 0 && failure is not null)
        {
            throw failure; // nothing to give: the client should retry rather than read an empty map
        }

        return Map(candidates, wanted, answers, QuoteFlags.From(request));
    }

    /// <summary>The answer: each requested coin with a price, in the request's order, with its fields.</summary>
    private static CoinGeckoPriceMap Map(Candidates candidates, Currency[] wanted, PriceLookup?[] answers, QuoteFlags flags)
    {
        var width = wanted.Length;
        // One coin's quotes at a time, on the stack: a request asks for at most CoinGeckoApi:MaxVsCurrencies currencies.
        Span<QuoteView?> slice = width <= MaxCurrenciesOnStack ? stackalloc QuoteView?[width] : new QuoteView?[width];
        var groups = candidates.Groups?.Length ?? candidates.Coins.Length;
        var entries = new CoinGeckoPriceEntry[groups];
        var count = 0;
        CacheFreshness? freshness = null;
        var shown = candidates.Groups is null ? null : new bool[candidates.Coins.Length];
        for (var g = 0; g < groups; g++)
        {
            // Coins by ids are distinct already; by names or symbols the same coin may come up in more than one group.
            var coin = candidates.Groups is null ? g : Pick(candidates.Groups[g], answers, width);
            if (coin < 0 || (shown is not null && !Show(shown, coin)))
            {
                continue;
            }

            for (var w = 0; w < width; w++)
            {
                slice[w] = answers[(coin * width) + w] is { } answer ? View(answer) : null;
                if (slice[w] is { } view)
                {
                    freshness = freshness?.With(view.Freshness) ?? view.Freshness;
                }
            }

            var fields = CoinGeckoRules.Fields(slice, wanted, flags);
            if (fields.Length == 0)
            {
                continue; // unknown coin: simply absent, as with CoinGecko
            }

            entries[count++] = new CoinGeckoPriceEntry(candidates.Coins[coin].Value, fields);
        }

        if (count < entries.Length)
        {
            Array.Resize(ref entries, count);
        }

        return new CoinGeckoPriceMap(entries, freshness);
    }

    /// <summary>Well-formed codes the provider supports, in the request's order, once each; when the list cannot be had, all of them.</summary>
    internal static async ValueTask<Currency[]> SupportedCurrenciesAsync(CurrencyCatalog catalog, IReadOnlyList<string>? values, CancellationToken cancellationToken)
    {
        var codes = ParseCurrencies(CoinGeckoRules.Value(values));
        var count = 0;
        foreach (var currency in codes)
        {
            var supported = catalog.IsSupportedAsync(currency.Value, cancellationToken);
            if ((supported.IsCompletedSuccessfully ? supported.Result : await supported.ConfigureAwait(false)) ?? true)
            {
                codes[count++] = currency;
            }
        }

        if (count < codes.Length)
        {
            Array.Resize(ref codes, count);
        }

        return codes;
    }

    /// <summary>The distinct currencies of a validated <c>vs_currencies</c> (at most <c>CoinGeckoApi:MaxVsCurrencies</c>: a scan tells them apart).</summary>
    private static Currency[] ParseCurrencies(string? value)
    {
        var codes = new Currency[CoinGeckoRules.Count(value)];
        var count = 0;
        foreach (var item in new CommaItems(value))
        {
            var currency = Currency.From(item.ToString());
            if (Array.IndexOf(codes, currency, 0, count) < 0)
            {
                codes[count++] = currency;
            }
        }

        if (count < codes.Length)
        {
            Array.Resize(ref codes, count);
        }

        return codes;
    }

    /// <summary>
    /// The coins to ask for, each once in the order first named, and the requested groups among them: none for
    /// <c>ids</c> (each coin is its own group); for <c>names</c> and <c>include_tokens=all</c> a group per coin found;
    /// for <c>include_tokens=top</c> a group per symbol with every coin sharing it, of which the one with the highest
    /// market cap is kept.
    /// </summary>
    private async ValueTask<Candidates> CandidatesAsync(SimplePriceQuery request, CancellationToken cancellationToken)
    {
        var ids = CoinGeckoRules.Value(request.Ids);
        if (CoinGeckoRules.Count(request.Ids) is var idCount and > 0)
        {
            return new Candidates(DistinctIds(ids!, idCount), null);
        }

        var index = await coins.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        var distinct = new List<CoinId>();
        var positions = new Dictionary<CoinId, int>();
        var groups = new List<int[]>();
        int Position(CoinId coin)
        {
            if (!positions.TryGetValue(coin, out var at))
            {
                positions[coin] = at = distinct.Count;
                distinct.Add(coin);
            }

            return at;
        }

        if (CoinGeckoRules.Count(request.Names) > 0)
        {
            foreach (var name in CoinGeckoRules.Items(request.Names))
            {
                groups.AddRange(Lookup(index.ByName, name).Select(coin => new[] { Position(coin) }));
            }
        }
        else
        {
            foreach (var symbol in CoinGeckoRules.Items(request.Symbols))
            {
                var found = Lookup(index.BySymbol, symbol).Select(Position).ToArray();
                if (request.AllTokens)
                {
                    groups.AddRange(found.Select(coin => new[] { coin }));
                }
                else if (found.Length > 0)
                {
                    groups.Add(found);
                }
            }
        }

        return new Candidates([.. distinct], [.. groups]);
    }

    /// <summary>The ids of a validated <c>ids</c> value, each once, in the order first named.</summary>
    private static CoinId[] DistinctIds(string value, int count)
    {
        var result = new CoinId[count];
        var distinct = 0;
        HashSet<CoinId>? seen = count > MaxScannedForDuplicates ? new HashSet<CoinId>(count) : null;
        foreach (var item in new CommaItems(value))
        {
            var coin = CoinId.From(item.ToString());
            if (seen?.Add(coin) ?? Array.IndexOf(result, coin, 0, distinct) < 0)
            {
                result[distinct++] = coin;
            }
        }

        if (distinct < result.Length)
        {
            Array.Resize(ref result, distinct);
        }

        return result;
    }

    private static IEnumerable<CoinId> Lookup(FrozenDictionary<string, IReadOnlyList<CoinListing>> index, string key) =>
        index.TryGetValue(key, out var listings)
            ? listings.Select(l => CoinId.TryFrom(l.Id, out var id) ? id : (CoinId?)null).OfType<CoinId>()
            : [];

    private static bool Show(bool[] shown, int coin)
    {
        if (shown[coin])
        {
            return false;
        }

        shown[coin] = true;
        return true;
    }

    /// <summary>
    /// The coin of a group with the highest market cap in the first currency (a coin without one ranks last; ties: list
    /// order), as its position in the request's coins; -1 when none has a price. <paramref name="answers"/> holds
    /// <paramref name="width"/> answers per coin, the first currency's first.
    /// </summary>
    internal static int Pick(int[] group, PriceLookup?[] answers, int width)
    {
        if (group.Length == 1)
        {
            return group[0];
        }

        var best = -1;
        decimal? bestCap = null;
        foreach (var coin in group)
        {
            if (answers[coin * width] is not { } answer)
            {
                continue;
            }

            if (best < 0 || (answer.MarketCap ?? -1) > (bestCap ?? -1))
            {
                best = coin;
                bestCap = answer.MarketCap;
            }
        }

        return best;
    }

    private static QuoteView View(PriceLookup lookup) =>
        new(
            lookup.Price,
            lookup.MarketCap,
            lookup.Volume24h,
            lookup.Change24h,
            lookup.LastUpdatedAt is { } stamp ? new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Utc)) : null,
            new CacheFreshness(!lookup.Cached, lookup.Stale, lookup.AgeSeconds));

    /// <summary>The distinct coins of a request, and its groups as positions among them (null: one group per coin, in order).</summary>
    private readonly record struct Candidates(CoinId[] Coins, int[][]? Groups);
}
