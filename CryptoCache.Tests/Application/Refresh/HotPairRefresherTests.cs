using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
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
        ProviderBudget budget, IReadOnlyList<HotPair> hot, Func<PricePair, PriceEntry?> cached, double reserve = 0.1, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
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
        var hotSet = new HotSet(cache, time);
        var demand = new RefreshDemand(hotSet, provider.Object, cache, providerOptions);
        var refresher = new HotPairRefresher(hotSet, coordinator.Object, repository.Object, provider.Object, new EngineStatistics(Mock.Of<IEngineMetrics>()),
            demand, cache, time, NullLogger<HotPairRefresher>.Instance);
        return (refresher, repository);
    }

    private static PriceEntry Aged(double seconds) => new(1m, DateTimeOffset.UtcNow.AddSeconds(-seconds), null, Source: "coingecko");

    /// <summary>An entry fetched <paramref name="seconds"/> before the start of <paramref name="time"/> (it ages as the clock moves).</summary>
    private static PriceEntry Aged(double seconds, ManualTime time) => new(1m, time.Start.AddSeconds(-seconds), null, Source: "coingecko");

    /// <summary>A clock moved by hand (wall time only; the pace's timestamps stay real).</summary>
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now;

        public ManualTime() => _now = Start;

        public DateTimeOffset Start { get; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

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
    public async Task TickAsync_PairReadNotDue_NotReadAgainUntilItCanBe()
    {
        // TTL 10 s, due at 80 %: an entry 2 s old cannot fall due before 6 s from now, whatever happens to it meanwhile.
        var time = new ManualTime();
        var (refresher, repository) = Build(new ProviderBudget(30, 30, false), [new HotPair(Bitcoin, 5)], _ => Aged(2, time), time: time);

        await refresher.TickAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        await refresher.TickAsync(CancellationToken.None);
        repository.Verify(r => r.TryGetAsync(Bitcoin, It.IsAny<CancellationToken>()), Times.Once, "7 s old at the second tick: not read");
        time.Advance(TimeSpan.FromSeconds(2));
        await refresher.TickAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            repository.Verify(r => r.TryGetAsync(Bitcoin, It.IsAny<CancellationToken>()), Times.Exactly(2), "9 s old at the third: read, and due");
            Assert.That(_calls, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task TickAsync_PairNotReadWhenAnotherFallsDue_StillRidesAlong()
    {
        var time = new ManualTime();
        var fetched = new Dictionary<PricePair, double> { [Bitcoin] = 2, [Ethereum] = 5 };
        var (refresher, _) = Build(new ProviderBudget(30, 30, false), [new HotPair(Bitcoin, 5), new HotPair(Ethereum, 3)], pair => Aged(fetched[pair], time), time: time);

        await refresher.TickAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4)); // ethereum 9 s old: due; bitcoin 6 s: not read for itself, but has a price
        await refresher.TickAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Has.Count.EqualTo(1));
            Assert.That(_calls[0].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "ethereum" }));
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
