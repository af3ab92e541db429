using System.Collections.Concurrent;
using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Refresh;

/// <summary>
/// The pairs this replica's clients ask for, and how often: recorded in memory on every request (no I/O, no
/// allocation once a pair is known), drained by the refresher each tick to be shared with the cluster.
/// </summary>
public sealed class HotSet
{
    /// <summary>Popularity halves over this time, so that what clients ask for now outranks what they asked for earlier.</summary>
    private static readonly TimeSpan HalfLife = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<PricePair, Heat> _pairs = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly long _windowTicks;
    private long _lastDrain;
    private CurrencySnapshot? _currencies;

    public HotSet(IOptions<CacheOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _window = options.Value.HotWindow;
        _windowTicks = (long)(_window.TotalSeconds * time.TimestampFrequency);
        _lastDrain = time.GetTimestamp();
    }

    public TimeSpan Window => _window;

    /// <summary>
    /// Whether no pair is known. (No count is offered: a concurrent dictionary's count, like its key list, takes every
    /// lock of the dictionary, which stalls the requests recording their asks.)
    /// </summary>
    public bool IsEmpty => _pairs.IsEmpty;

    /// <summary>Records one ask; true when the pair was already asked here within the window, so a refresher covers it.</summary>
    public bool Record(PricePair pair)
    {
        var now = _time.GetTimestamp();
        if (!_pairs.TryGetValue(pair, out var heat))
        {
            heat = _pairs.GetOrAdd(pair, static _ => new Heat());
        }

        var previous = Interlocked.Exchange(ref heat.LastAsked, now);
        Interlocked.Increment(ref heat.Pending);
        return previous != 0 && now - previous <= _windowTicks;
    }

    /// <summary>
    /// What was asked since the last drain, with when it was last asked, for the cluster's hot set; forgets pairs not
    /// asked within the window. Called by one thread (the refresher).
    /// </summary>
    public IReadOnlyList<HotPairSample> Drain()
    {
        var now = _time.GetTimestamp();
        var wallNow = _time.GetUtcNow();
        var decay = Math.Pow(0.5, _time.GetElapsedTime(Interlocked.Exchange(ref _lastDrain, now), now) / HalfLife);
        var samples = new List<HotPairSample>();
        foreach (var (pair, heat) in _pairs)
        {
            var lastAsked = Volatile.Read(ref heat.LastAsked);
            if (now - lastAsked > _windowTicks)
            {
                _pairs.TryRemove(new KeyValuePair<PricePair, Heat>(pair, heat));
                continue;
            }

            var asked = Interlocked.Exchange(ref heat.Pending, 0);
            heat.Popularity = (heat.Popularity * decay) + asked;
            if (asked > 0)
            {
                samples.Add(new HotPairSample(pair, wallNow - _time.GetElapsedTime(lastAsked, now), asked));
            }
        }

        return samples;
    }

    /// <summary>
    /// The currencies clients here ask in, most used first (at most <paramref name="max"/>): a miss call asks for its
    /// coins in all of them, since one more currency costs a few bytes of URL and spares a call when the same coin is
    /// asked in it next. Rebuilt at most once a second.
    /// </summary>
    public IReadOnlyList<Currency> Currencies(int max)
    {
        var snapshot = Volatile.Read(ref _currencies);
        if (snapshot is not null && _time.GetTimestamp() < snapshot.ExpiresAt)
        {
            return snapshot.Currencies;
        }

        // Enumerated, not read through Keys, which would lock the dictionary against the requests recording their asks.
        var currencies = _pairs.Select(p => p.Key.Currency).GroupBy(c => c).OrderByDescending(g => g.Count()).Take(max).Select(g => g.Key).ToArray();
        Volatile.Write(ref _currencies, new CurrencySnapshot(currencies, _time.GetTimestamp() + _time.TimestampFrequency));
        return currencies;
    }

    /// <summary>The distinct coins of this replica's hot set, in no order: what a round of refreshes must cover.</summary>
    public IReadOnlyList<CoinId> Coins()
    {
        var coins = new HashSet<CoinId>();
        foreach (var (pair, _) in _pairs)
        {
            coins.Add(pair.Coin);
        }

        return [.. coins];
    }

    /// <summary>This replica's own hot set, most asked first: what it refreshes when it has no cluster to share with.</summary>
    public IReadOnlyList<HotPair> Snapshot() =>
        _pairs.Select(p => new HotPair(p.Key, p.Value.Popularity + Volatile.Read(ref p.Value.Pending)))
            .OrderByDescending(p => p.Popularity)
            .ToList();

    private sealed record CurrencySnapshot(Currency[] Currencies, long ExpiresAt);

    private sealed class Heat
    {
        public long LastAsked;
        public int Pending;
        public double Popularity;
    }
}
