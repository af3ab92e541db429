using CryptoCache.Domain;

namespace CryptoCache.Application.Refresh;

/// <summary>
/// Turns the hot pairs that are due into as few provider calls as the provider's limits allow, most popular first.
/// A call asks for every coin in every currency it names, so coins are grouped by the currencies they are asked in:
/// one call for coins that share a set of currencies, and a small group is folded into another only where that wastes
/// no more pairs than it needs, so no call fetches a large useless cross-product.
/// </summary>
public static class RefreshPlanner
{
    /// <param name="due">Hot pairs to refresh, with their popularity.</param>
    /// <param name="partition">The provider's cut of a coin list into calls (id count and URL length).</param>
    /// <param name="maxCalls">Calls the budget allows now; the most popular calls are kept.</param>
    public static IReadOnlyList<RefreshCall> Plan(IReadOnlyCollection<HotPair> due, Func<IReadOnlyList<CoinId>, IReadOnlyList<IReadOnlyList<CoinId>>> partition, int maxCalls)
    {
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(partition);
        if (maxCalls <= 0 || due.Count == 0)
        {
            return [];
        }

        // Coin → the currencies it is asked in and its popularity (its most popular pair: one call refreshes them all).
        var coins = new Dictionary<CoinId, CoinDemand>();
        foreach (var (pair, popularity) in due)
        {
            if (!coins.TryGetValue(pair.Coin, out var demand))
            {
                coins[pair.Coin] = demand = new CoinDemand(pair.Coin);
            }

            demand.Currencies.Add(pair.Currency);
            demand.Popularity = Math.Max(demand.Popularity, popularity);
            demand.Total += popularity;
        }

        var groups = coins.Values
            .GroupBy(c => string.Join(',', c.Currencies.Select(x => x.Value).Order(StringComparer.Ordinal)), StringComparer.Ordinal)
            .Select(g => new Group(g.ToList(), [.. g.First().Currencies]))
            .OrderByDescending(g => g.Coins.Count)
            .ToList();

        var merged = new List<Group>();
        foreach (var group in groups)
        {
            var into = merged.FirstOrDefault(m => FoldsInto(group, m, partition));
            if (into is null)
            {
                merged.Add(group);
            }
            else
            {
                into.Coins.AddRange(group.Coins);
                into.Currencies.UnionWith(group.Currencies);
            }
        }

        var calls = new List<RefreshCall>();
        foreach (var group in merged)
        {
            var ordered = group.Coins.OrderByDescending(c => c.Popularity).ToList();
            var byCoin = ordered.ToDictionary(c => c.Coin);
            var currencies = group.Currencies.OrderBy(c => c.Value, StringComparer.Ordinal).ToArray();
            foreach (var chunk in partition(ordered.Select(c => c.Coin).ToList()))
            {
                var demands = chunk.Select(c => byCoin[c]).ToList();
                calls.Add(new RefreshCall(
                    chunk,
                    currencies,
                    demands.SelectMany(d => d.Currencies.Select(cur => new PricePair(d.Coin, cur))).ToList(),
                    demands.Sum(d => d.Total)));
            }
        }

        return calls.OrderByDescending(c => c.Popularity).Take(maxCalls).ToList();
    }

    /// <summary>
    /// The plan when the budget allows fewer calls than the hot set needs: the most asked coins first, whatever
    /// currencies they are asked in, so that the pairs clients want most share the few calls there are (a call then
    /// asks for its coins in the union of their currencies: some pairs come for nothing, but no popular pair waits for
    /// the call of its currency group). Only calls that carry at least one pair in <paramref name="due"/> are kept.
    /// </summary>
    public static IReadOnlyList<RefreshCall> PlanScarce(
        IReadOnlyCollection<HotPair> pairs, IReadOnlySet<PricePair> due, Func<IReadOnlyList<CoinId>, IReadOnlyList<IReadOnlyList<CoinId>>> partition, int maxCalls)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(partition);
        if (maxCalls <= 0 || pairs.Count == 0)
        {
            return [];
        }

        var byCoin = pairs.GroupBy(p => p.Pair.Coin)
            .Select(g => (Coin: g.Key, Pairs: g.Select(p => p.Pair).ToList(), Popularity: g.Max(p => p.Popularity), Total: g.Sum(p => p.Popularity)))
            .OrderByDescending(c => c.Popularity)
            .ToList();
        var lookup = byCoin.ToDictionary(c => c.Coin);
        var calls = new List<RefreshCall>();
        foreach (var chunk in partition(byCoin.Select(c => c.Coin).ToList()))
        {
            var coins = chunk.Select(c => lookup[c]).ToList();
            var chunkPairs = coins.SelectMany(c => c.Pairs).ToList();
            if (!chunkPairs.Any(due.Contains))
            {
                continue;
            }

            calls.Add(new RefreshCall(
                chunk,
                [.. chunkPairs.Select(p => p.Currency).Distinct().OrderBy(c => c.Value, StringComparer.Ordinal)],
                chunkPairs,
                coins.Sum(c => c.Total)));
            if (calls.Count == maxCalls)
            {
                break;
            }
        }

        return calls;
    }

    /// <summary>
    /// A group folds into another when that saves a call (the other's calls can carry its coins too) and the pairs
    /// fetched for nothing are at most half as many as the pairs wanted.
    /// </summary>
    private static bool FoldsInto(Group group, Group other, Func<IReadOnlyList<CoinId>, IReadOnlyList<IReadOnlyList<CoinId>>> partition)
    {
        var union = new HashSet<Currency>(other.Currencies);
        union.UnionWith(group.Currencies);
        var coinCount = group.Coins.Count + other.Coins.Count;
        var wanted = group.Coins.Sum(c => c.Currencies.Count) + other.Coins.Sum(c => c.Currencies.Count);
        if (2 * ((coinCount * union.Count) - wanted) > wanted)
        {
            return false;
        }

        var together = partition([.. other.Coins.Select(c => c.Coin), .. group.Coins.Select(c => c.Coin)]).Count;
        return together < partition(other.Coins.Select(c => c.Coin).ToList()).Count + partition(group.Coins.Select(c => c.Coin).ToList()).Count;
    }

    private sealed class CoinDemand(CoinId coin)
    {
        public CoinId Coin { get; } = coin;

        public HashSet<Currency> Currencies { get; } = [];

        public double Popularity { get; set; }

        public double Total { get; set; }
    }

    private sealed record Group(List<CoinDemand> Coins, HashSet<Currency> Currencies);
}
