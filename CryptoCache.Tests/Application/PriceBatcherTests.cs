using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Clients;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CryptoCache.Tests.Application;

public sealed class PriceBatcherTests
{
    private static PricePair Pair(string coin, string currency) => new(CoinId.From(coin), Currency.From(currency));

    private static HotSet Hot() => new(Options.Create(new CacheOptions()), TimeProvider.System);

    /// <summary>A refresher with nothing to refresh: misses are never held back for it.</summary>
    private static RefreshDemand NoDemand(IPriceProvider provider) =>
        new(Hot(), provider, Options.Create(new CacheOptions()), Options.Create(new ProviderOptions()));

    private static ClientQuotaPolicy Quota(IPriceProvider provider) =>
        new(Mock.Of<IClientContext>(), Mock.Of<IClientQuota>(), provider, new EngineStatistics(Mock.Of<IEngineMetrics>()), Options.Create(new ClientsOptions()));

    private static PriceBatcher Batcher(IPriceProvider provider, int shortBudgetWait = 1_000, int windowMilliseconds = 20) =>
        Batcher(provider, Mock.Of<IPriceRepository>(), TestPorts.NoOtherReplica().Object, shortBudgetWait, windowMilliseconds);

    private static PriceBatcher Batcher(
        IPriceProvider provider, IPriceRepository repository, IFetchLocks locks, int shortBudgetWait = 1_000, int windowMilliseconds = 20,
        HotSet? hot = null, RefreshDemand? demand = null, IOptions<CacheOptions>? cache = null, TimeProvider? time = null) =>
        new(provider, repository, locks, hot ?? Hot(), demand ?? NoDemand(provider), new EngineStatistics(Mock.Of<IEngineMetrics>()), Quota(provider),
            Options.Create(new ProviderOptions
            {
                BatchWindowMilliseconds = windowMilliseconds, MaxBatchWaitMilliseconds = Math.Max(windowMilliseconds, 50), ShortBudgetBatchWaitMilliseconds = shortBudgetWait,
            }),
            cache ?? Options.Create(new CacheOptions()), time ?? TimeProvider.System, NullLogger<PriceBatcher>.Instance);

    private static Mock<IPriceProvider> EchoClient(List<(CoinId[] Coins, Currency[] Currencies)> calls, int maxIdsPerCall = 250) =>
        TestPorts.Provider((coins, currencies) =>
        {
            lock (calls)
            {
                calls.Add((coins.ToArray(), currencies.ToArray()));
            }

            return coins.Where(c => c.Value != "unknown")
                .SelectMany(c => currencies.Select(cur => TestPorts.Quote(c, cur, c.Value.Length + cur.Value.Length)))
                .ToList();
        }, maxIdsPerCall);

    [Test]
    public async Task FetchAsync_ConcurrentMisses_ShareOneCallWithTheUnionOfCoinsAndCurrencies()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls).Object);

        var entries = await Task.WhenAll(
            batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None),
            batcher.FetchAsync(Pair("ethereum", "eur"), CancellationToken.None),
            batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None),
            batcher.FetchAsync(Pair("unknown", "usd"), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls, Has.Count.EqualTo(1));
            Assert.That(calls[0].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "ethereum", "unknown" }));
            Assert.That(calls[0].Currencies.Select(c => c.Value), Is.EquivalentTo(new[] { "usd", "eur" }));
            Assert.That(entries.Select(e => e.Price), Is.EqualTo(new decimal?[] { 10, 11, 10, null }), "each waiter gets its own pair; unknown is remembered as such");
        }
    }

    [Test]
    public async Task QuietWindow_TimerLateWhileMissesArrived_CountsFromTheLastMissAsIfOnTime()
    {
        // A load's last batch: its misses come while the machine is busy serving them, so the closer's timer fires late
        // then; once the last has joined, the machine is on time again. The pause after it is what says that nothing
        // more is coming: the lateness from before it must not lengthen the window.
        var time = new FakeTimeProvider();
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = OnClock(time, calls);

        var first = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(6)); // the closer's 1 ms sleep ends 5 ms late, before the next miss
        var second = batcher.FetchAsync(Pair("ethereum", "usd"), CancellationToken.None);
        await StepAsync(time, 9);
        Assert.That(CallCount(calls), Is.Zero, "9 ms after the last miss: inside the 10 ms window");

        await StepAsync(time, 1);
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(calls.Single().Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "ethereum" }),
            "10 ms after the last miss, on time since: one call for both");
    }

    [Test]
    public async Task QuietWindow_TimerLateInThePauseAfterTheLastMiss_LengthensItByThatMuch()
    {
        // A timer late in the pause itself is the machine behind now: what was coming may not have been delivered yet.
        var time = new FakeTimeProvider();
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = OnClock(time, calls);

        var answer = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        await StepAsync(time, 3);
        time.Advance(TimeSpan.FromMilliseconds(6)); // 9 ms after the miss; the sleep from 3 ms ends 5 ms late
        await StepAsync(time, 5);
        Assert.That(CallCount(calls), Is.Zero, "14 ms after the miss: inside the window lengthened by the 5 ms");

        await StepAsync(time, 1);
        await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(calls, Has.Count.EqualTo(1));
    }

    /// <summary>A batcher on a clock the test moves, with a 10 ms quiet window, recording its calls.</summary>
    private static PriceBatcher OnClock(FakeTimeProvider time, List<(CoinId[] Coins, Currency[] Currencies)> calls) =>
        Batcher(EchoClient(calls).Object, Mock.Of<IPriceRepository>(), TestPorts.NoOtherReplica().Object, windowMilliseconds: 10, time: time);

    /// <summary>Moves the clock a millisecond at a time (the closer's slice), letting its sleeps end on time.</summary>
    private static async Task StepAsync(FakeTimeProvider time, int milliseconds)
    {
        for (var i = 0; i < milliseconds; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            // The closer wakes on the pool if not inline: let it take its next sleep before the clock moves on.
            await Task.Delay(20);
        }
    }

    private static int CallCount(List<(CoinId[] Coins, Currency[] Currencies)> calls)
    {
        lock (calls)
        {
            return calls.Count;
        }
    }

    [Test]
    public async Task FetchAsync_MoreCoinsThanOneCallCarries_SplitsByMaxIdsPerCall()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls, maxIdsPerCall: 3).Object);

        await Task.WhenAll(Enumerable.Range(1, 7).Select(i => batcher.FetchAsync(Pair($"coin-{i}", "usd"), CancellationToken.None)));

        Assert.That(calls.Select(c => c.Coins.Length).OrderBy(n => n), Is.EqualTo(new[] { 1, 3, 3 }));
    }

    [Test]
    public async Task FetchAsync_BudgetShort_HoldsTheBatchOpenSoOneCallCarriesLaterMisses()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var provider = EchoClient(calls);
        provider.SetupGet(p => p.LastKnownBudget).Returns(new ProviderBudget(30, 15, false));
        var batcher = Batcher(provider.Object, shortBudgetWait: 400);

        var first = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        await Task.Delay(150); // well past the 20 ms quiet window that applies while the budget is ample
        var second = batcher.FetchAsync(Pair("ethereum", "usd"), CancellationToken.None);
        await Task.WhenAll(first, second);

        Assert.That(calls, Has.Count.EqualTo(1), "one call carried both misses");
    }

    [Test]
    public async Task FetchMany_ARequestsMisses_OneCallWhateverTheWindow()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls).Object, windowMilliseconds: 1);
        var pairs = Enumerable.Range(1, 100).Select(i => Pair($"coin-{i}", "usd")).ToList();

        var entries = await Task.WhenAll(batcher.FetchMany(pairs, "client-a", CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls, Has.Count.EqualTo(1), "joined at once: no quiet window between two of them");
            Assert.That(calls[0].Coins, Has.Length.EqualTo(100));
            Assert.That(entries.Select(e => e.Price), Has.All.Not.Null);
        }
    }

    [Test]
    public async Task Read_InBatchesFromJoiningUntilTheCallIsStored()
    {
        var pair = Pair("bitcoin", "usd");
        var answer = new TaskCompletionSource<IReadOnlyList<PriceQuote>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = TestPorts.Provider((_, _) => []);
        provider.Setup(p => p.GetPricesAsync(It.IsAny<IReadOnlyCollection<CoinId>>(), It.IsAny<IReadOnlyCollection<Currency>>(), It.IsAny<ProviderPurpose>(), It.IsAny<CancellationToken>()))
            .Returns(answer.Task);
        var repository = new Mock<IPriceRepository>();
        var batcher = Batcher(provider.Object, repository.Object, TestPorts.NoOtherReplica().Object);

        var before = batcher.Read().InBatches.Contains(pair);
        var fetching = batcher.FetchAsync(pair, CancellationToken.None);
        var joined = batcher.Read().InBatches.Contains(pair);
        for (var i = 0; i < 500 && provider.Invocations.All(c => c.Method.Name != nameof(IPriceProvider.GetPricesAsync)); i++)
        {
            await Task.Delay(10);
        }

        var inFlight = batcher.Read();
        var other = inFlight.InBatches.Contains(Pair("ethereum", "usd"));
        answer.SetResult([TestPorts.Quote(pair.Coin, pair.Currency, 1m)]);
        await fetching;
        var stored = false;
        for (var i = 0; i < 500 && !(stored = !batcher.Read().InBatches.Contains(pair)); i++)
        {
            await Task.Delay(10);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.False, "nothing asked yet");
            Assert.That(joined, Is.True, "in the open batch");
            Assert.That(inFlight.InBatches, Does.Contain(pair), "its call on its way");
            Assert.That(inFlight.HeldBack, Is.Empty, "the budget is ample: nothing held back");
            Assert.That(other, Is.False, "a pair no batch has");
            Assert.That(stored, Is.True, "no longer once the call is stored");
            Assert.That(repository.Invocations.Any(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync)), Is.True);
        }
    }

    [Test]
    public async Task FetchAsync_PairRefusedForWantOfBudget_RidesOnTheNextCallAndIsCached()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var refuse = true;
        var provider = TestPorts.Provider((coins, currencies) =>
        {
            lock (calls)
            {
                calls.Add((coins.ToArray(), currencies.ToArray()));
            }

            return refuse
                ? throw new ProviderUnavailableException(ProviderFailure.BudgetExhausted, "spent")
                : coins.SelectMany(c => currencies.Select(cur => TestPorts.Quote(c, cur, 1))).ToList();
        });
        var repository = new Mock<IPriceRepository>();
        var batcher = new PriceBatcher(provider.Object, repository.Object, TestPorts.NoOtherReplica().Object, Hot(), NoDemand(provider.Object), new EngineStatistics(Mock.Of<IEngineMetrics>()), Quota(provider.Object),
            Options.Create(new ProviderOptions { BatchWindowMilliseconds = 5 }), Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<PriceBatcher>.Instance);

        Assert.That(() => batcher.FetchAsync(Pair("cardano", "eur"), CancellationToken.None), Throws.TypeOf<ProviderUnavailableException>());
        refuse = false;
        await batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        // The waiter is answered before the call's pairs are written: give that write a moment under load.
        for (var i = 0; i < 500 && !repository.Invocations.Any(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync)); i++)
        {
            await Task.Delay(10);
        }

        var stored = repository.Invocations.Where(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync))
            .SelectMany(c => (IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>)c.Arguments[0]).Select(e => e.Key).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls[^1].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "cardano" }));
            Assert.That(calls[^1].Currencies.Select(c => c.Value), Is.EquivalentTo(new[] { "usd", "eur" }));
            Assert.That(stored, Has.Exactly(1).EqualTo(Pair("cardano", "eur")), "the refused pair is cached");
            Assert.That(stored, Has.Exactly(1).EqualTo(Pair("bitcoin", "eur")), "so is the rest of the cross-product");
            Assert.That(stored, Has.Exactly(1).EqualTo(Pair("bitcoin", "usd")), "and the pair waited for, which the batch claimed");
        }
    }

    [Test]
    public async Task FetchAsync_HeldBackForTheRefresher_WaitsForItsCallToLand()
    {
        // 3 calls left of 30, all the refresher's (its need and the reserve): the miss leaves the call to the refresher,
        // whose call goes at the leader's second tick at the latest and then takes its own time. With 500 ms ticks its
        // entry appears 1.35 s after the batch opened: past a wait of the batch's 100 ms and two ticks, within three.
        var pair = Pair("bitcoin", "usd");
        var provider = TestPorts.Provider((_, _) => throw new InvalidOperationException("held back: no call of its own"));
        provider.Setup(p => p.ReadBudgetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new ProviderBudget(30, 3, false));
        var cache = Options.Create(new CacheOptions { RefreshIntervalMilliseconds = 500 });
        var hot = new HotSet(cache, TimeProvider.System);
        hot.Record(pair);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var repository = new Mock<IPriceRepository>();
        repository.Setup(r => r.TryGetAsync(pair, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => clock.Elapsed >= TimeSpan.FromMilliseconds(1350) ? new PriceEntry(1m, DateTimeOffset.UtcNow, null, Source: "coingecko") : null);
        var batcher = Batcher(provider.Object, repository.Object, TestPorts.NoOtherReplica().Object, shortBudgetWait: 100, windowMilliseconds: 5,
            hot, new RefreshDemand(hot, provider.Object, cache, Options.Create(new ProviderOptions())), cache);

        var fetching = batcher.FetchAsync(pair, CancellationToken.None);
        var heldBack = false;
        for (var i = 0; i < 100 && !heldBack && !fetching.IsCompleted; i++)
        {
            var read = batcher.Read();
            heldBack = read.HeldBack.Contains(pair) && !read.InBatches.Contains(pair);
            await Task.Delay(10);
        }

        var entry = await fetching;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Price, Is.EqualTo(1m));
            Assert.That(heldBack, Is.True, "held back while it waits, and no longer a batch's: the refresher's call carries it");
            Assert.That(batcher.Read(), Is.SameAs(PendingMisses.None), "answered: no longer waiting, in a batch or held back");
        }
    }

    [Test]
    public async Task FetchAsync_PairsRidingAlongCachedNowhere_StoredWithoutTellingTheReplicas()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var provider = EchoClient(calls);
        var hot = Hot();
        hot.Record(Pair("ethereum", "eur")); // eur is hot here: the misses' call asks for it too
        IReadOnlyCollection<PricePair> lookedUp = [];
        var locks = new Mock<IFetchLocks>();
        locks.Setup(l => l.ClaimAsync(It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> lookUp, CancellationToken _) =>
            {
                lookedUp = lookUp;
                return ValueTask.FromResult(new FetchClaim(pairs.ToHashSet(), new HashSet<PricePair>(), new Dictionary<PricePair, Task>(), "token",
                    new HashSet<PricePair> { Pair("bitcoin", "eur") })); // cardano/eur is cached on some replica
            });
        var repository = new Mock<IPriceRepository>();
        var batcher = Batcher(provider.Object, repository.Object, locks.Object, windowMilliseconds: 5, hot: hot);

        await Task.WhenAll(batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None), batcher.FetchAsync(Pair("cardano", "usd"), CancellationToken.None));
        for (var i = 0; i < 500 && repository.Invocations.Count(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync)) < 2; i++)
        {
            await Task.Delay(10); // answered before stored
        }

        var stored = repository.Invocations.Where(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync))
            .SelectMany(c => ((IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>)c.Arguments[0]).Select(e => (e.Key, Tell: (bool)c.Arguments[1]))).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls[^1].Currencies.Select(c => c.Value), Is.EquivalentTo(new[] { "usd", "eur" }));
            Assert.That(lookedUp, Is.EquivalentTo(new[] { Pair("bitcoin", "eur"), Pair("cardano", "eur") }), "the claim looks up what rides along");
            Assert.That(stored, Does.Contain((Pair("bitcoin", "eur"), false)), "cached nowhere: no replica to tell");
            Assert.That(stored, Does.Contain((Pair("cardano", "eur"), true)), "cached somewhere: the replicas are told");
            Assert.That(stored, Does.Contain((Pair("bitcoin", "usd"), false)).And.Contain((Pair("cardano", "usd"), false)), "claimed with nothing cached");
        }
    }

    [Test]
    public async Task FetchAsync_FairShareOn_AnswersBeforeTheCallIsRecordedAgainstItsClients()
    {
        // A store that never confirms the record: the answer must not wait for it.
        var recorded = new TaskCompletionSource();
        var store = new Mock<IClientQuota>();
        store.Setup(q => q.RecordCallAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).Returns(new ValueTask(recorded.Task));
        var provider = EchoClient([]).Object;
        var quota = new ClientQuotaPolicy(Mock.Of<IClientContext>(), store.Object, provider, new EngineStatistics(Mock.Of<IEngineMetrics>()),
            Options.Create(new ClientsOptions { MaxBudgetShare = 0.5 }));
        var batcher = new PriceBatcher(provider, Mock.Of<IPriceRepository>(), TestPorts.NoOtherReplica().Object, Hot(), NoDemand(provider), new EngineStatistics(Mock.Of<IEngineMetrics>()), quota,
            Options.Create(new ProviderOptions { BatchWindowMilliseconds = 5 }), Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<PriceBatcher>.Instance);

        var entry = await batcher.FetchAsync(Pair("bitcoin", "usd"), "client-a", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 500 && store.Invocations.Count == 0; i++)
        {
            await Task.Delay(10);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.IsKnown, Is.True);
            store.Verify(q => q.RecordCallAsync(It.Is<IReadOnlyCollection<string>>(c => c.Contains("client-a")), It.IsAny<CancellationToken>()), Times.Once(),
                "the call still counts against the client's share");
        }

        recorded.SetResult();
    }

    [Test]
    public void FetchAsync_ProviderFails_EveryWaiterSeesTheFailure()
    {
        var client = TestPorts.Provider((_, _) => throw new ProviderUnavailableException(ProviderFailure.Error, "down"));
        var batcher = Batcher(client.Object);

        var first = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        var second = batcher.FetchAsync(Pair("ethereum", "usd"), CancellationToken.None);

        Assert.That(() => first, Throws.TypeOf<ProviderUnavailableException>());
        Assert.That(() => second, Throws.TypeOf<ProviderUnavailableException>());
    }

    [Test]
    public async Task FetchAsync_OneCallerCancels_TheSharedCallStillServesTheOthers()
    {
        // The call answers only once the first caller has given up, however slowly this machine runs the test.
        using var answer = new ManualResetEventSlim();
        var batcher = Batcher(TestPorts.Provider((coins, currencies) =>
        {
            answer.Wait(TimeSpan.FromSeconds(30));
            return coins.SelectMany(c => currencies.Select(cur => TestPorts.Quote(c, cur, c.Value.Length + cur.Value.Length))).ToList();
        }).Object);
        using var cancelled = new CancellationTokenSource();

        var gone = batcher.FetchAsync(Pair("bitcoin", "usd"), cancelled.Token);
        var kept = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        await cancelled.CancelAsync();
        answer.Set();

        Assert.That(() => gone, Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await kept).Price, Is.EqualTo(10));
    }

    [Test]
    public async Task FetchAsync_PairHeldByAnotherReplica_LeftOutOfTheCallAndAnsweredFromTheCacheOnRelease()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var released = new TaskCompletionSource();
        var held = Pair("tether", "usd");
        var locks = new Mock<IFetchLocks>();
        locks.Setup(l => l.ClaimAsync(It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> _, CancellationToken _) => ValueTask.FromResult(new FetchClaim(
                pairs.Where(p => p != held).ToHashSet(), new HashSet<PricePair>(), pairs.Where(p => p == held).ToDictionary(p => p, _ => released.Task), "token")));
        var theirs = new PriceEntry(42m, DateTimeOffset.UtcNow, null);
        var repository = new Mock<IPriceRepository>();
        repository.Setup(r => r.TryGetAsync(held, It.IsAny<CancellationToken>())).ReturnsAsync(() => released.Task.IsCompleted ? theirs : null);
        var batcher = Batcher(EchoClient(calls).Object, repository.Object, locks.Object);

        var waiting = batcher.FetchAsync(held, CancellationToken.None);
        var mine = await batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False, "the held pair waits for its holder");
        released.SetResult();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await waiting, Is.EqualTo(theirs), "answered with the holder's entry, read from the cache");
            Assert.That(mine.Price, Is.EqualTo(10));
            Assert.That(calls.SelectMany(c => c.Coins).Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin" }), "the held coin is not fetched twice");
        }
    }

    [Test]
    public async Task FetchAsync_GrantedPairAlreadyCachedFresh_AnsweredFromTheCacheWithoutACallAndReleased()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var pair = Pair("bitcoin", "usd");
        var locks = new Mock<IFetchLocks>();
        var claim = new FetchClaim(new HashSet<PricePair> { pair }, new HashSet<PricePair> { pair }, new Dictionary<PricePair, Task>(), "token");
        locks.Setup(l => l.ClaimAsync(It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>())).ReturnsAsync(claim);
        var fetchedMeanwhile = new PriceEntry(7m, DateTimeOffset.UtcNow, null);
        var repository = new Mock<IPriceRepository>();
        repository.Setup(r => r.TryGetAsync(pair, It.IsAny<CancellationToken>())).ReturnsAsync(fetchedMeanwhile);
        var batcher = Batcher(EchoClient(calls).Object, repository.Object, locks.Object);

        var entry = await batcher.FetchAsync(pair, CancellationToken.None);
        for (var i = 0; i < 500 && locks.Invocations.All(c => c.Method.Name != nameof(IFetchLocks.ReleaseAsync)); i++)
        {
            await Task.Delay(10);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry, Is.EqualTo(fetchedMeanwhile));
            Assert.That(calls, Is.Empty, "another replica fetched it since the asker looked: no second call");
            locks.Verify(l => l.ReleaseAsync(claim, It.Is<IReadOnlyCollection<PricePair>>(p => p.Contains(pair)), It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task FetchAsync_GrantedPairs_StoredBeforeTheirLocksAreReleased()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var steps = new List<string>();
        var locks = TestPorts.NoOtherReplica();
        locks.Setup(l => l.ReleaseAsync(It.IsAny<FetchClaim>(), It.IsAny<IReadOnlyCollection<PricePair>?>(), It.IsAny<CancellationToken>()))
            .Callback(() => { lock (steps) { steps.Add("release"); } })
            .Returns(ValueTask.CompletedTask);
        var repository = new Mock<IPriceRepository>();
        repository.Setup(r => r.SetManyAsync(It.IsAny<IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Callback(() => { lock (steps) { steps.Add("store"); } })
            .Returns(ValueTask.CompletedTask);
        var batcher = Batcher(EchoClient(calls).Object, repository.Object, locks.Object);

        await Task.WhenAll(batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None), batcher.FetchAsync(Pair("ethereum", "usd"), CancellationToken.None));
        for (var i = 0; i < 500 && !steps.Contains("release"); i++)
        {
            await Task.Delay(10);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps, Is.EqualTo(new[] { "store", "release" }), "one write for the batch, then one release: a woken waiter finds the entries");
            locks.Verify(l => l.ClaimAsync(It.Is<IReadOnlyCollection<PricePair>>(p => p.Count == 2), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()), Times.Once, "one claim for the batch");
        }
    }

    [Test]
    public async Task FetchAsync_CallerHoldsTheLock_PairNeitherClaimedNorStoredByTheBatch()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var locks = TestPorts.NoOtherReplica();
        var repository = new Mock<IPriceRepository>();
        var batcher = Batcher(EchoClient(calls).Object, repository.Object, locks.Object);

        var entry = await batcher.FetchAsync(Pair("bitcoin", "usd"), null, locked: true, CancellationToken.None);
        await Task.Delay(100);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Price, Is.EqualTo(10));
            locks.Verify(l => l.ClaimAsync(It.Is<IReadOnlyCollection<PricePair>>(p => p.Count > 0), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()), Times.Never);
            Assert.That(repository.Invocations.Where(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync))
                .SelectMany(c => (IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>)c.Arguments[0]).Select(e => e.Key),
                Does.Not.Contain(Pair("bitcoin", "usd")), "the cache's own factory stores it");
        }
    }

    [Test]
    public async Task FetchAsync_HolderReleasesWithoutAnEntry_PairClaimedAgainAndFetchedHere()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var released = new TaskCompletionSource();
        var pair = Pair("tether", "usd");
        var claims = 0;
        var locks = new Mock<IFetchLocks>();
        locks.Setup(l => l.ClaimAsync(It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> _, CancellationToken _) => ValueTask.FromResult(Interlocked.Increment(ref claims) == 1
                ? new FetchClaim(new HashSet<PricePair>(), new HashSet<PricePair>(), pairs.ToDictionary(p => p, _ => released.Task), "first")
                : new FetchClaim(pairs.ToHashSet(), new HashSet<PricePair>(), new Dictionary<PricePair, Task>(), "second")));
        var repository = new Mock<IPriceRepository>();
        repository.Setup(r => r.TryGetAsync(pair, It.IsAny<CancellationToken>())).ReturnsAsync((PriceEntry?)null);
        var batcher = Batcher(EchoClient(calls).Object, repository.Object, locks.Object);

        var waiting = batcher.FetchAsync(pair, CancellationToken.None);
        await Task.Delay(100);
        Assert.That(calls, Is.Empty, "nothing fetched while another replica holds the pair");
        released.SetResult(); // its call failed: it released the lock with nothing cached

        var entry = await waiting;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Price, Is.EqualTo(9));
            Assert.That(calls.SelectMany(c => c.Coins).Select(c => c.Value), Is.EqualTo(new[] { "tether" }), "fetched here, once");
            repository.Verify(r => r.SetManyAsync(It.Is<IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>>(e => e.Any(p => p.Key == pair)), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Once);
            locks.Verify(l => l.ReleaseAsync(It.Is<FetchClaim>(c => (string?)c.Handle == "second"), It.IsAny<IReadOnlyCollection<PricePair>?>(), It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task FetchAsync_SamePairWhileItsBatchClaims_TakesThatBatchsAnswer()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var claimed = new TaskCompletionSource<FetchClaim>(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = 0;
        var locks = new Mock<IFetchLocks>();
        locks.Setup(l => l.ClaimAsync(It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> _, CancellationToken _) =>
            {
                Interlocked.Increment(ref claims);
                return new ValueTask<FetchClaim>(claimed.Task);
            });
        var batcher = Batcher(EchoClient(calls).Object, Mock.Of<IPriceRepository>(), locks.Object);

        var first = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        for (var i = 0; i < 500 && Volatile.Read(ref claims) == 0; i++)
        {
            await Task.Delay(10);
        }

        var second = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None); // its batch is claiming now
        claimed.SetResult(FetchClaim.All([Pair("bitcoin", "usd")]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await first).Price, Is.EqualTo(10));
            Assert.That((await second).Price, Is.EqualTo(10));
            Assert.That(claims, Is.EqualTo(1), "no second batch, which would find the pair locked by this very replica");
            Assert.That(calls, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task FetchAsync_AsManyMissesAsTheLastCallAnswered_GoWithoutWaitingOutTheWindow()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var provider = EchoClient(calls, maxIdsPerCall: 3).Object;
        // A minute-long quiet window and cap: a batch that goes within the test's bound went because it could not grow.
        var batcher = new PriceBatcher(provider, Mock.Of<IPriceRepository>(), TestPorts.NoOtherReplica().Object, Hot(), NoDemand(provider),
            new EngineStatistics(Mock.Of<IEngineMetrics>()), Quota(provider),
            Options.Create(new ProviderOptions { BatchWindowMilliseconds = 60_000, MaxBatchWaitMilliseconds = 60_000 }),
            Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<PriceBatcher>.Instance);

        // Three coins fill a call: it goes at once, and answers three pairs.
        await Task.WhenAll(new[] { "a", "b", "c" }.Select(c => batcher.FetchAsync(Pair(c, "usd"), CancellationToken.None))).WaitAsync(TimeSpan.FromSeconds(20));

        // Their clients come back with three new pairs on two coins: not a full call, but everyone answered is back.
        var next = Task.WhenAll(batcher.FetchAsync(Pair("d", "usd"), CancellationToken.None), batcher.FetchAsync(Pair("e", "usd"), CancellationToken.None),
            batcher.FetchAsync(Pair("d", "eur"), CancellationToken.None));

        Assert.That(async () => await next.WaitAsync(TimeSpan.FromSeconds(20)), Throws.Nothing);
        Assert.That(calls, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task FetchAsync_BurstOfMisses_GoesOnceItIsOverWithoutWaitingOutTheWindow()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls).Object, windowMilliseconds: 60_000);

        // Forty misses at once, nothing answered before: a batch that goes within the bound went because its burst was over.
        var burst = Task.WhenAll(Enumerable.Range(1, 40).Select(i => batcher.FetchAsync(Pair($"coin-{i}", "usd"), CancellationToken.None)));

        Assert.That(async () => await burst.WaitAsync(TimeSpan.FromSeconds(20)), Throws.Nothing);
        Assert.That(calls.Select(c => c.Coins.Length), Is.EqualTo(new[] { 40 }));
    }

    [Test]
    public async Task FetchAsync_FewMissesAfterAPause_WaitTheirQuietWindowTogether()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls).Object, windowMilliseconds: 300);

        // One pair answered, then a pause longer than clients take to come back: the answer brings nobody back.
        await batcher.FetchAsync(Pair("a", "usd"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(700);

        // Three misses, too few for a burst: they wait the quiet window and share one call (they did not go one by one
        // as if the three were the pair answered long ago coming back).
        var started = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(new[] { "b", "c", "d" }.Select(c => batcher.FetchAsync(Pair(c, "usd"), CancellationToken.None))).WaitAsync(TimeSpan.FromSeconds(20));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls.Skip(1).Select(c => c.Coins.Length), Is.EqualTo(new[] { 3 }));
            Assert.That(TimeProvider.System.GetElapsedTime(started), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)), "the quiet window");
        }
    }

    [Test]
    public async Task FetchAsync_PairsNobodyHadCached_StoredWithoutTellingTheOtherReplicas()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var repository = new Mock<IPriceRepository>();
        var batcher = Batcher(EchoClient(calls).Object, repository.Object, TestPorts.NoOtherReplica().Object);

        await Task.WhenAll(batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None), batcher.FetchAsync(Pair("ethereum", "eur"), CancellationToken.None));
        for (var i = 0; i < 500 && repository.Invocations.Count(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync)) < 2; i++)
        {
            await Task.Delay(10);
        }

        var stored = repository.Invocations.Where(c => c.Method.Name == nameof(IPriceRepository.SetManyAsync))
            .SelectMany(c => ((IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>)c.Arguments[0]).Select(e => (e.Key, Told: (bool)c.Arguments[1]))).ToList();
        Assert.That(stored, Is.EquivalentTo(new[]
        {
            (Pair("bitcoin", "usd"), false), (Pair("ethereum", "eur"), false), // claimed, nothing cached anywhere: no replica holds them
            (Pair("bitcoin", "eur"), true), (Pair("ethereum", "usd"), true), // nobody waited for them: a replica may hold an older one
        }));
    }
}
