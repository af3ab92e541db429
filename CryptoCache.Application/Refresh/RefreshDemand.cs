using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Refresh;

/// <summary>
/// What the refresher needs of the budget to keep the whole hot set fresh: calls per minute (one round each time the
/// hot pairs fall due, at <c>Cache:EagerRefreshThreshold</c> of the TTL), capped at its share. Misses may spend only
/// what it does not need (<see cref="KeptFromMisses"/>), so a short budget goes to bulk calls that carry hundreds of
/// pairs, not to misses that carry a handful each. The refresher publishes the cluster's figure each tick; between
/// ticks (and at a cold start, before the first) this replica's own hot set gives a floor.
/// </summary>
public sealed class RefreshDemand(HotSet hotSet, IPriceProvider provider, IOptions<CacheOptions> cacheOptions, IOptions<ProviderOptions> providerOptions, TimeProvider time)
{
    /// <summary>
    /// How long this replica's own figure stands: working it out goes over every hot pair (tens of thousands in a big
    /// deployment), so about once a tick, not once per miss batch; the published figure covers the cluster meanwhile.
    /// </summary>
    private readonly TimeSpan _localEstimateLifetime = cacheOptions.Value.RefreshInterval;

    /// <summary>How long a tick's figure stands for this replica's: the next tick starts an interval after this one ended.</summary>
    private readonly TimeSpan _publishedFor = 2 * cacheOptions.Value.RefreshInterval;

    /// <summary>How often the refresher refreshes a hot pair: when its age passes the eager threshold, not at its TTL.</summary>
    private readonly double _refreshEverySeconds = Math.Max(1, cacheOptions.Value.TtlSeconds * cacheOptions.Value.EagerRefreshThreshold);
    private readonly double _reserveFraction = providerOptions.Value.MissReserveFraction;
    private int _published;

    /// <summary>When a tick last published the figure (0: never).</summary>
    private long _publishedAt;
    private LocalEstimate? _local;
    private int _estimating;

    /// <summary>Calls a minute the refresher needs now: the larger of the published figure and this replica's own.</summary>
    public int CallsPerMinute => Math.Max(Volatile.Read(ref _published), Local());

    /// <summary>Calls the budget keeps for misses, which the refresher never spends.</summary>
    public int Reserve(int limit) => (int)Math.Floor(limit * _reserveFraction);

    /// <summary>
    /// The calls left in the window below which misses leave the provider to the refresher (0 while nothing is hot):
    /// what it needs plus the reserve, since it never spends the reserve itself. Misses that stopped at its bare need
    /// would leave it that need less the reserve, and its last rounds of the window would find no budget, the hot set
    /// stale until the misses' calls leave the window (as a cold start that took 22 of 30 calls did). With a hot set
    /// that needs more than the budget gives, the refresher has all but the reserve, and misses the top of the window.
    /// </summary>
    public int KeptFromMisses(int limit)
    {
        var need = CallsPerMinute;
        if (need == 0)
        {
            return 0;
        }

        var reserve = Reserve(limit);
        return Math.Min(need + reserve, Math.Max(need, limit - reserve));
    }

    /// <summary>Works out and publishes the demand of a hot set (the cluster's, at the leader).</summary>
    public int Publish(IReadOnlyCollection<HotPair> hot) => Published(Of(hot));

    /// <summary>Works out and publishes the demand of the coins of a hot set (a follower's own).</summary>
    public int PublishCoins(IReadOnlyList<CoinId> hotCoins) => Published(Of(hotCoins));

    private int Published(int calls)
    {
        Volatile.Write(ref _published, calls);
        Volatile.Write(ref _publishedAt, time.GetTimestamp());
        return calls;
    }

    /// <summary>
    /// This replica's own figure, while no tick has published one lately. The first is worked out at once (the first
    /// pair asked must count before the first tick); once the last is <see cref="_localEstimateLifetime"/> old, the next
    /// is worked out off the caller's path while the last one still answers: the caller is a miss batch about to go,
    /// and with thousands of hot pairs the work takes milliseconds that every waiter of the batch would otherwise wait.
    /// </summary>
    private int Local()
    {
        if (hotSet.IsEmpty)
        {
            return 0; // not remembered: the first pair asked must count at once, or a cold start spends calls on misses
        }

        // Each tick publishes a figure that covers this replica's hot set (a follower's is its own, the leader's the
        // cluster's): while ticks run, working it out here again each second would only go over every hot pair twice.
        var publishedAt = Volatile.Read(ref _publishedAt);
        if (publishedAt != 0 && time.GetElapsedTime(publishedAt) < _publishedFor)
        {
            return 0;
        }

        var local = Volatile.Read(ref _local);
        if (local is null)
        {
            return Estimate();
        }

        if (time.GetElapsedTime(local.At) >= _localEstimateLifetime && Interlocked.CompareExchange(ref _estimating, 1, 0) == 0)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    Estimate();
                }
                finally
                {
                    Volatile.Write(ref _estimating, 0);
                }
            });
        }

        return local.Calls;
    }

    private int Estimate()
    {
        var calls = Of(hotSet.Coins());
        Volatile.Write(ref _local, new LocalEstimate(calls, time.GetTimestamp()));
        return calls;
    }

    private sealed record LocalEstimate(int Calls, long At);

    private int Of(IReadOnlyCollection<HotPair> hot) => hot.Count == 0 ? 0 : Of([.. hot.Select(h => h.Pair.Coin).Distinct()]);

    private int Of(IReadOnlyList<CoinId> coins)
    {
        if (coins.Count == 0)
        {
            return 0;
        }

        // The floor of a round: every hot coin in as few calls as the provider allows. The planner may need a few more
        // (coins asked in different currencies), but the floor is what the budget must leave the refresher at least.
        var limit = provider.LastKnownBudget.Limit;
        var callsPerRound = provider.Partition(coins).Count;
        var perMinute = (int)Math.Ceiling(callsPerRound * 60 / _refreshEverySeconds);
        return Math.Min(perMinute, Math.Max(0, limit - Reserve(limit)));
    }
}
