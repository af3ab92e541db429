using System.Collections.Concurrent;
using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Refresh;

/// <summary>
/// The pairs this replica's clients ask for, and how often: recorded in memory on every request (no I/O, no
/// allocation once a pair is known), drained by the refresher each tick to be shared with the cluster. Its coins and
/// currencies are tallied as pairs come and go: every miss batch asks for the currencies, and for the number of coins
/// (the budget's split between misses and the refresher), and with tens of thousands of hot pairs going over them all
/// took milliseconds on a batch's way to the provider.
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

    /// <summary>
    /// Hot pairs per coin and per currency, and in all, kept as pairs are added and forgotten (guarded by the lock:
    /// only a new pair or a forgotten one takes it, never an ask of a known pair).
    /// </summary>
    private readonly Lock _tallyGate = new();

    private readonly Dictionary<CoinId, int> _pairsOf = [];
    private readonly Dictionary<Currency, int> _pairsIn = [];
    private int _count;

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
    /// How many pairs are known: counted as they come and go (a concurrent dictionary's own count, like its key list,
    /// takes every lock of the dictionary, which stalls the requests recording their asks).
    /// </summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many distinct coins the known pairs have.</summary>
    public int CoinCount
    {
        get
        {
            lock (_tallyGate)
            {
                return _pairsOf.Count;
            }
        }
    }

    /// <summary>Records one ask; true when the pair was already asked here within the window, so a refresher covers it.</summary>
    public bool Record(PricePair pair)
    {
        var now = _time.GetTimestamp();
        if (!_pairs.TryGetValue(pair, out var heat))
        {
            heat = Add(pair);
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
            if (lastAsked == 0)
            {
                continue; // being added right now: its ask is recorded next, and drained at the next tick
            }

            if (now - lastAsked > _windowTicks)
            {
                if (_pairs.TryRemove(new KeyValuePair<PricePair, Heat>(pair, heat)))
                {
                    Tally(pair, -1);
                }

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
    /// The currencies clients here ask in, in most hot pairs first (at most <paramref name="max"/>): a miss call asks
    /// for its coins in all of them, since one more currency costs a few bytes of URL and spares a call when the same
    /// coin is asked in it next.
    /// </summary>
    public IReadOnlyList<Currency> Currencies(int max)
    {
        lock (_tallyGate)
        {
            return [.. _pairsIn.OrderByDescending(c => c.Value).Take(max).Select(c => c.Key)];
        }
    }

    /// <summary>The distinct coins of this replica's hot set, in no order: what a round of refreshes must cover.</summary>
    public IReadOnlyList<CoinId> Coins()
    {
        lock (_tallyGate)
        {
            return [.. _pairsOf.Keys];
        }
    }

    /// <summary>This replica's own hot set, most asked first: what it refreshes when it has no cluster to share with.</summary>
    public IReadOnlyList<HotPair> Snapshot() =>
        _pairs.Select(p => new HotPair(p.Key, p.Value.Popularity + Volatile.Read(ref p.Value.Pending)))
            .OrderByDescending(p => p.Popularity)
            .ToList();

    /// <summary>A pair asked for the first time (or again after it was forgotten): added, and counted once.</summary>
    private Heat Add(PricePair pair)
    {
        while (true)
        {
            var heat = new Heat();
            if (_pairs.TryAdd(pair, heat))
            {
                Tally(pair, +1);
                return heat;
            }

            if (_pairs.TryGetValue(pair, out heat))
            {
                return heat; // another request added it first
            }
        }
    }

    /// <summary>Counts a pair in (+1) or out (−1) of its coin's and its currency's tallies.</summary>
    private void Tally(PricePair pair, int change)
    {
        lock (_tallyGate)
        {
            _count += change;
            Change(_pairsOf, pair.Coin, change);
            Change(_pairsIn, pair.Currency, change);
        }

        static void Change<TKey>(Dictionary<TKey, int> tally, TKey key, int change)
            where TKey : notnull
        {
            var pairs = tally.GetValueOrDefault(key) + change;
            if (pairs > 0)
            {
                tally[key] = pairs;
            }
            else
            {
                tally.Remove(key);
            }
        }
    }

    private sealed class Heat
    {
        public long LastAsked;
        public int Pending;
        public double Popularity;
    }
}
