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
/// ticks (and at a cold start, before the first) this replica's own hot set gives a floor, worked out from a tally.
/// </summary>
public sealed class RefreshDemand(HotSet hotSet, IPriceProvider provider, IOptions<CacheOptions> cacheOptions, IOptions<ProviderOptions> providerOptions)
{
    /// <summary>How often the refresher refreshes a hot pair: when its age passes the eager threshold, not at its TTL.</summary>
    private readonly double _refreshEverySeconds = Math.Max(1, cacheOptions.Value.TtlSeconds * cacheOptions.Value.EagerRefreshThreshold);
    private readonly double _reserveFraction = providerOptions.Value.MissReserveFraction;
    private int _published;

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
    public int Publish(IReadOnlyCollection<HotPair> hot) => Published(hot.Count == 0 ? 0 : Of([.. hot.Select(h => h.Pair.Coin).Distinct()]));

    /// <summary>Works out and publishes the demand of the coins of a hot set (a follower's own).</summary>
    public int PublishCoins(IReadOnlyList<CoinId> hotCoins) => Published(Of(hotCoins));

    private int Published(int calls)
    {
        Volatile.Write(ref _published, calls);
        return calls;
    }

    /// <summary>
    /// This replica's own figure, asked by every miss batch: from the number of its hot coins (tallied as pairs come
    /// and go), each call carrying as many as the provider takes. A floor: the provider may cut long ids into more
    /// calls, which the ticks' figures count. It counts the first pair asked at once (before the first tick, a cold
    /// start would otherwise spend calls on misses) and the coins asked since the last tick.
    /// </summary>
    private int Local()
    {
        var coins = hotSet.CoinCount;
        return coins == 0 ? 0 : PerMinute((coins + provider.MaxIdsPerCall - 1) / provider.MaxIdsPerCall);
    }

    private int Of(IReadOnlyList<CoinId> coins) =>
        // The floor of a round: every hot coin in as few calls as the provider allows. The planner may need a few more
        // (coins asked in different currencies), but the floor is what the budget must leave the refresher at least.
        coins.Count == 0 ? 0 : PerMinute(provider.Partition(coins).Count);

    private int PerMinute(int callsPerRound)
    {
        var limit = provider.LastKnownBudget.Limit;
        var perMinute = (int)Math.Ceiling(callsPerRound * 60 / _refreshEverySeconds);
        return Math.Min(perMinute, Math.Max(0, limit - Reserve(limit)));
    }
}
