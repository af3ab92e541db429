using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace CryptoCache.Tests.Application.Refresh;

/// <summary>The refresher's decisions with its ports mocked: what is due, what the budget allows, what a call carries.</summary>
public sealed class HotPairRefresherTests
{
    private static readonly PricePair Bitcoin = new(CoinId.From("bitcoin"), Currency.From("usd"));
    private static readonly PricePair Ethereum = new(CoinId.From("ethereum"), Currency.From("usd"));
    private static readonly PricePair Cardano = new(CoinId.From("cardano"), Currency.From("usd"));

    private readonly List<(CoinId[] Coins, ProviderPurpose Purpose)> _calls = [];

    [SetUp]
    public void ForgetCalls() => _calls.Clear();

    private (HotPairRefresher Refresher, Mock<IPriceRepository> Repository) Build(
        ProviderBudget budget, IReadOnlyList<HotPair> hot, Func<PricePair, PriceEntry?> cached, double reserve = 0.1, PricePair[]? inBatches = null,
        PricePair[]? heldBack = null)
    {
        var provider = Application.TestPorts.Provider((coins, currencies) =>
        {
            _calls.Add((coins.ToArray(), ProviderPurpose.Refresh));
            return coins.SelectMany(c => currencies.Select(cur => Application.TestPorts.Quote(c, cur, 2))).ToList();
        });
        provider.Setup(p => p.ReadBudgetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(budget);
        provider.SetupGet(p => p.LastKnownBudget).Returns(budget);
        var coordinator = new Mock<IRefreshCoordinator>();
        coordinator.Setup(c => c.SyncAsync(It.IsAny<IReadOnlyList<HotPairSample>>(), It.IsAny<CancellationToken>())).ReturnsAsync(RefreshRole.Leader);
        coordinator.Setup(c => c.ReadHotSetAsync(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync(hot);
        var repository = new Mock<IPriceRepository>();
        repository.Setup(r => r.TryGetAsync(It.IsAny<PricePair>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PricePair pair, CancellationToken _) => cached(pair));
        var cache = Options.Create(new CacheOptions { TtlSeconds = 10, EagerRefreshThreshold = 0.8 });
        var providerOptions = Options.Create(new ProviderOptions { MissReserveFraction = reserve });
        var hotSet = new HotSet(cache, TimeProvider.System);
        var demand = new RefreshDemand(hotSet, provider.Object, cache, providerOptions);
        var misses = new Mock<IPendingMisses>();
        misses.Setup(m => m.Read()).Returns(new PendingMisses((inBatches ?? []).ToHashSet(), (heldBack ?? []).ToHashSet()));
        var refresher = new HotPairRefresher(hotSet, coordinator.Object, repository.Object, provider.Object, misses.Object, new EngineStatistics(Mock.Of<IEngineMetrics>()),
            demand, cache, TimeProvider.System, NullLogger<HotPairRefresher>.Instance);
        return (refresher, repository);
    }

    private static PriceEntry Aged(double seconds) => new(1m, DateTimeOffset.UtcNow.AddSeconds(-seconds), null, Source: "coingecko");

    [Test]
    public async Task TickAsync_OnePairDue_OneCallCarriesEveryHotPairWithAPrice()
    {
        var (refresher, repository) = Build(new ProviderBudget(30, 30, false),
            [new HotPair(Bitcoin, 5), new HotPair(Ethereum, 3), new HotPair(Cardano, 1)],
            pair => pair == Bitcoin ? Aged(9) : Aged(2));

        await refresher.TickAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Has.Count.EqualTo(1));
            Assert.That(_calls[0].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "ethereum", "cardano" }), "the not-yet-due ride along, so all fall due together");
            repository.Verify(r => r.SetAsync(It.IsAny<PricePair>(), It.IsAny<PriceEntry>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        }
    }

    [Test]
    public async Task TickAsync_NothingDue_NoCall()
    {
        var (refresher, _) = Build(new ProviderBudget(30, 30, false), [new HotPair(Bitcoin, 5)], _ => Aged(2));

        await refresher.TickAsync(CancellationToken.None);

        Assert.That(_calls, Is.Empty);
    }

    [Test]
    public async Task TickAsync_OnlyTheReserveLeft_NoCall()
    {
        var (refresher, _) = Build(new ProviderBudget(30, 3, false), [new HotPair(Bitcoin, 5)], _ => Aged(9), reserve: 0.1);

        await refresher.TickAsync(CancellationToken.None);

        Assert.That(_calls, Is.Empty, "3 calls = the 10 % reserve kept for misses");
    }

    [Test]
    public async Task TickAsync_MissesLeftTheRefreshersNeedAndTheReserve_TakesTheUncachedHotPair()
    {
        // One hot coin, TTL 10 s: 8 calls a minute (a round every 8 s). With 10 calls left of 30, misses are held back
        // (10 ≤ 8 + the 3 reserved), so the hot pair with nothing cached is the refresher's, which may spend 10 − 3.
        var (refresher, _) = Build(new ProviderBudget(30, 10, false), [new HotPair(Bitcoin, 5)], _ => null, reserve: 0.1);

        await refresher.TickAsync(CancellationToken.None);

        Assert.That(_calls, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TickAsync_BudgetIsTheRefreshers_LeavesUncachedPairsABatchHereHas()
    {
        // As above, with two uncached hot pairs, bitcoin's miss in a batch here (open, or its call in flight): that batch
        // answers it, and the one call the pace allows carries ethereum only.
        var (refresher, _) = Build(new ProviderBudget(30, 10, false), [new HotPair(Bitcoin, 5), new HotPair(Ethereum, 3)], _ => null, reserve: 0.1,
            inBatches: [Bitcoin]);

        await refresher.TickAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Has.Count.EqualTo(1));
            Assert.That(_calls[0].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "ethereum" }));
        }
    }

    [Test]
    public async Task TickAsync_BudgetIsTheRefreshers_OnlyUncachedPairIsABatchs_NoCall()
    {
        var (refresher, _) = Build(new ProviderBudget(30, 10, false), [new HotPair(Bitcoin, 5)], _ => null, reserve: 0.1, inBatches: [Bitcoin]);

        await refresher.TickAsync(CancellationToken.None);

        Assert.That(_calls, Is.Empty, "the batch's call, or its hold-back, is on its way: the paced call is kept");
    }

    [Test]
    public async Task TickAsync_MissesHeldBackHereNotYetHot_RideOnTheCall()
    {
        // A request's three pairs were held back here for the refresher, but this tick's hot set has only bitcoin (the
        // others reached it after the drain): the one call the pace allows carries all three.
        var (refresher, _) = Build(new ProviderBudget(30, 10, false), [new HotPair(Bitcoin, 5)], _ => null, reserve: 0.1,
            heldBack: [Bitcoin, Ethereum, Cardano]);

        await refresher.TickAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Has.Count.EqualTo(1));
            Assert.That(_calls[0].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "ethereum", "cardano" }));
        }
    }

    [Test]
    public async Task TickAsync_Paused_NoCall()
    {
        var (refresher, _) = Build(new ProviderBudget(30, 30, true), [new HotPair(Bitcoin, 5)], _ => Aged(9));

        await refresher.TickAsync(CancellationToken.None);

        Assert.That(_calls, Is.Empty);
    }

    [Test]
    public async Task TickAsync_TwoTicksInARow_SecondWaitsForItsPace()
    {
        var (refresher, _) = Build(new ProviderBudget(6, 6, false), [new HotPair(Bitcoin, 5)], _ => Aged(9), reserve: 0);

        await refresher.TickAsync(CancellationToken.None);
        await refresher.TickAsync(CancellationToken.None);

        Assert.That(_calls, Has.Count.EqualTo(1), "6 calls a minute: one every 10 s, not two at once");
    }

    [Test]
    public async Task TickAsync_BudgetIsTheRefreshers_UncachedHotPairsTakenMostAskedFirst()
    {
        var hot = Enumerable.Range(1, 600).Select(i => new HotPair(new PricePair(CoinId.From($"coin-{i}"), Currency.From("usd")), i)).ToList();
        var (refresher, _) = Build(new ProviderBudget(6, 5, false), hot, _ => null, reserve: 0);

        await refresher.TickAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Has.Count.EqualTo(1));
            Assert.That(_calls[0].Coins.Select(c => c.Value), Does.Contain("coin-600").And.Not.Contain("coin-1"), "the 250 most asked");
        }
    }
}
