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
using Moq;

namespace CryptoCache.Tests.Application;

public sealed class PriceBatcherTests
{
    private static PricePair Pair(string coin, string currency) => new(CoinId.From(coin), Currency.From(currency));

    private static HotSet Hot() => new(Options.Create(new CacheOptions()), TimeProvider.System);

    /// <summary>A refresher with nothing to refresh: misses are never held back for it.</summary>
    private static RefreshDemand NoDemand(IPriceProvider provider) =>
        new(Hot(), provider, Options.Create(new CacheOptions()), Options.Create(new ProviderOptions()), TimeProvider.System);

    private static ClientQuotaPolicy Quota(IPriceProvider provider) =>
        new(Mock.Of<IClientContext>(), Mock.Of<IClientQuota>(), provider, new EngineStatistics(Mock.Of<IEngineMetrics>()), Options.Create(new ClientsOptions()));

    private static PriceBatcher Batcher(IPriceProvider provider, int shortBudgetWait = 1_000) =>
        new(provider, Mock.Of<IPriceRepository>(), Hot(), NoDemand(provider), new EngineStatistics(Mock.Of<IEngineMetrics>()), Quota(provider),
            Options.Create(new ProviderOptions { BatchWindowMilliseconds = 20, ShortBudgetBatchWaitMilliseconds = shortBudgetWait }),
            Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<PriceBatcher>.Instance);

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
        var batcher = new PriceBatcher(provider.Object, repository.Object, Hot(), NoDemand(provider.Object), new EngineStatistics(Mock.Of<IEngineMetrics>()), Quota(provider.Object),
            Options.Create(new ProviderOptions { BatchWindowMilliseconds = 5 }), Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<PriceBatcher>.Instance);

        Assert.That(() => batcher.FetchAsync(Pair("cardano", "eur"), CancellationToken.None), Throws.TypeOf<ProviderUnavailableException>());
        refuse = false;
        await batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        // The waiter is answered before the pairs nobody waited for are written: give that write a moment under load.
        for (var i = 0; i < 100 && !repository.Invocations.Any(c => c.Method.Name == nameof(IPriceRepository.SetAsync)); i++)
        {
            await Task.Delay(10);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls[^1].Coins.Select(c => c.Value), Is.EquivalentTo(new[] { "bitcoin", "cardano" }));
            Assert.That(calls[^1].Currencies.Select(c => c.Value), Is.EquivalentTo(new[] { "usd", "eur" }));
            repository.Verify(r => r.SetAsync(Pair("cardano", "eur"), It.IsAny<PriceEntry>(), It.IsAny<CancellationToken>()), Times.Once, "the refused pair is cached");
            repository.Verify(r => r.SetAsync(Pair("bitcoin", "eur"), It.IsAny<PriceEntry>(), It.IsAny<CancellationToken>()), Times.Once, "so is the rest of the cross-product");
        }
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
}
