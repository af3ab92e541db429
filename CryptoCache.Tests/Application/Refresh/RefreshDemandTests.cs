using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;
using Moq;

namespace CryptoCache.Tests.Application.Refresh;

/// <summary>What the refresher needs of the budget, and what misses leave it.</summary>
public sealed class RefreshDemandTests
{
    private static PricePair Pair(int coin) => new(CoinId.From($"coin-{coin}"), Currency.From("usd"));

    private static RefreshDemand Demand(int limit, int ttlSeconds, double reserve, int? hotCoins, int askedHere = 0)
    {
        var provider = Application.TestPorts.Provider((_, _) => []);
        provider.SetupGet(p => p.LastKnownBudget).Returns(new ProviderBudget(limit, limit, false));
        var cache = Options.Create(new CacheOptions { TtlSeconds = ttlSeconds, EagerRefreshThreshold = 0.8 });
        var hotSet = new HotSet(cache, TimeProvider.System);
        foreach (var i in Enumerable.Range(1, askedHere))
        {
            hotSet.Record(Pair(i));
        }

        var demand = new RefreshDemand(hotSet, provider.Object, cache, Options.Create(new ProviderOptions { MissReserveFraction = reserve }));
        if (hotCoins is { } published)
        {
            demand.Publish([.. Enumerable.Range(1, published).Select(i => new HotPair(Pair(i), 1))]);
        }

        return demand;
    }

    [Test]
    public void CallsPerMinute_NoTickYet_ThisReplicasOwnHotSet()
    {
        // 600 coins asked here at 250 a call: 3 calls a round, 7.5 rounds a minute.
        var demand = Demand(limit: 60, ttlSeconds: 10, reserve: 0.1, hotCoins: null, askedHere: 600);

        Assert.That(demand.CallsPerMinute, Is.EqualTo(23), "a cold start counts the first pairs asked before the first tick");
    }

    [Test]
    public void CallsPerMinute_CoinsAskedHereSinceTheTick_CountedAtOnce()
    {
        // The last tick's figure knew 1 coin (8 a minute); 600 coins were asked here since: 3 calls a round.
        var demand = Demand(limit: 60, ttlSeconds: 10, reserve: 0.1, hotCoins: 1, askedHere: 600);

        Assert.That(demand.CallsPerMinute, Is.EqualTo(23));
    }

    [Test]
    public void CallsPerMinute_TenSecondTtl_ARoundEachTimeThePairsFallDue()
    {
        var demand = Demand(limit: 30, ttlSeconds: 10, reserve: 0.1, hotCoins: 50);

        Assert.That(demand.CallsPerMinute, Is.EqualTo(8), "refreshed at 0.8 × 10 s = every 8 s: 7.5 rounds a minute of one call each, not 6");
    }

    [Test]
    public void KeptFromMisses_RoomInTheBudget_TheNeedAndTheReserve()
    {
        var demand = Demand(limit: 30, ttlSeconds: 10, reserve: 0.1, hotCoins: 50);

        Assert.That(demand.KeptFromMisses(30), Is.EqualTo(8 + 3), "the refresher never spends the 3 reserved calls, so misses leave it 8 above them");
    }

    [Test]
    public void KeptFromMisses_HotSetNeedsMoreThanTheBudget_AllButTheReserve()
    {
        // 1000 coins at 250 a call: 4 calls a round, 30 a minute wanted; the refresher's share is 30 − 3.
        var demand = Demand(limit: 30, ttlSeconds: 10, reserve: 0.1, hotCoins: 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.CallsPerMinute, Is.EqualTo(27));
            Assert.That(demand.KeptFromMisses(30), Is.EqualTo(27), "misses keep the top 3 calls of the window");
        }
    }

    [Test]
    public void KeptFromMisses_NothingHot_Nothing()
    {
        var demand = Demand(limit: 30, ttlSeconds: 10, reserve: 0.1, hotCoins: 0);

        Assert.That(demand.KeptFromMisses(30), Is.Zero);
    }
}
