using System.Globalization;

namespace CryptoCache.Bench.Load;

/// <summary>
/// The pairs a load asks for, and how often each. Either the historical shape (<c>--pairs N --coin-base B
/// [--currency usd]</c>: coins B..B+N-1 in one currency) or a hot set (<c>--coins N [--coin-base 1] --currencies
/// usd,eur,gbp,jpy</c>: every coin in every currency, N × currencies pairs). <c>--pick</c> chooses the next pair:
/// <c>roundrobin</c> (each pair in turn, the default), <c>uniform</c> (at random) or <c>zipf</c> (at random, the pair
/// of popularity rank k asked in proportion to 1/k^s, <c>--zipf-s</c>, 1 by default; ranks are given to pairs in a
/// shuffled order from <c>--seed</c>, so that the popular pairs are spread over the coin range).
/// </summary>
internal sealed class PairSet
{
    private readonly double[] _cumulative;
    private readonly int[] _pairOfRank;

    private PairSet(List<(string Coin, string Currency)> pairs, string pick, double zipfS, int seed)
    {
        Pairs = pairs;
        Pick = pick;
        var shuffle = new Random(seed);
        _pairOfRank = Enumerable.Range(0, pairs.Count).ToArray();
        shuffle.Shuffle(_pairOfRank);
        _cumulative = new double[pairs.Count];
        var total = 0.0;
        for (var rank = 0; rank < pairs.Count; rank++)
        {
            total += pick == "zipf" ? 1 / Math.Pow(rank + 1, zipfS) : 1;
            _cumulative[rank] = total;
        }
    }

    public IReadOnlyList<(string Coin, string Currency)> Pairs { get; }

    public int Count => Pairs.Count;

    /// <summary>roundrobin, uniform or zipf.</summary>
    public string Pick { get; }

    public string Describe =>
        string.Create(CultureInfo.InvariantCulture, $"{Count} pairs ({Pairs.Select(p => p.Coin).Distinct().Count()} coins × {Pairs.Select(p => p.Currency).Distinct().Count()} currencies), pick {Pick}");

    public static PairSet From(Options options)
    {
        var pick = options.String("pick", "roundrobin");
        if (pick is not ("roundrobin" or "uniform" or "zipf"))
        {
            throw new ArgumentException($"--pick {pick}: roundrobin, uniform or zipf");
        }

        var zipfS = double.Parse(options.String("zipf-s", "1"), CultureInfo.InvariantCulture);
        var seed = options.Int("seed", 1);
        List<(string Coin, string Currency)> pairs;
        if (options.String("coins", "") is { Length: > 0 })
        {
            var coins = options.Int("coins");
            var coinBase = options.Int("coin-base", 1);
            var currencies = options.String("currencies", options.String("currency", "usd")).Split(',', StringSplitOptions.RemoveEmptyEntries);
            pairs = [.. Enumerable.Range(coinBase, coins).SelectMany(c => currencies.Select(cur => ($"coin-{c.ToString(CultureInfo.InvariantCulture)}", cur)))];
        }
        else
        {
            var count = options.Int("pairs");
            var coinBase = options.Int("coin-base");
            var currency = options.String("currency", "usd");
            pairs = [.. Enumerable.Range(coinBase, count).Select(c => ($"coin-{c.ToString(CultureInfo.InvariantCulture)}", currency))];
        }

        return new PairSet(pairs, pick, zipfS, seed);
    }

    /// <summary>The next pair for a random pick (uniform or zipf).</summary>
    public int Next(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var rank = Array.BinarySearch(_cumulative, target);
        rank = rank >= 0 ? rank : Math.Min(~rank, _cumulative.Length - 1);
        return _pairOfRank[rank];
    }
}
