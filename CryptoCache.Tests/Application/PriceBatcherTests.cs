using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Prices;
using CryptoCache.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace CryptoCache.Tests.Application;

public sealed class PriceBatcherTests
{
    private static PricePair Pair(string coin, string currency) => new(CoinId.From(coin), Currency.From(currency));

    private static PriceBatcher Batcher(IPriceClient client, int maxIdsPerCall = 250, int maxIdsLength = 4_000) =>
        new(client, Options.Create(new ProviderOptions { BatchWindowMilliseconds = 20, MaxIdsPerCall = maxIdsPerCall, MaxIdsLength = maxIdsLength }),
            TimeProvider.System, NullLogger<PriceBatcher>.Instance);

    private static Mock<IPriceClient> EchoClient(List<(CoinId[] Coins, Currency[] Currencies)> calls)
    {
        var client = new Mock<IPriceClient>();
        client.Setup(c => c.GetPricesAsync(It.IsAny<IReadOnlyCollection<CoinId>>(), It.IsAny<IReadOnlyCollection<Currency>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, CancellationToken _) =>
            {
                lock (calls)
                {
                    calls.Add((coins.ToArray(), currencies.ToArray()));
                }

                return coins.Where(c => c.Value != "unknown")
                    .SelectMany(c => currencies.Select(cur => new PriceQuote(new PricePair(c, cur), c.Value.Length + cur.Value.Length, DateTimeOffset.UtcNow, null)))
                    .ToList();
            });
        return client;
    }

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
        var batcher = Batcher(EchoClient(calls).Object, maxIdsPerCall: 3);

        await Task.WhenAll(Enumerable.Range(1, 7).Select(i => batcher.FetchAsync(Pair($"coin-{i}", "usd"), CancellationToken.None)));

        Assert.That(calls.Select(c => c.Coins.Length).OrderBy(n => n), Is.EqualTo(new[] { 1, 3, 3 }));
    }

    [Test]
    public async Task FetchAsync_IdsLongerThanOneUrlCarries_SplitsByLength()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls).Object, maxIdsLength: 100);
        var coins = Enumerable.Range(1, 6).Select(i => new string((char)('a' + i), 40)).ToArray(); // 43 characters each in the URL

        await Task.WhenAll(coins.Select(c => batcher.FetchAsync(Pair(c, "usd"), CancellationToken.None)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls, Has.Count.EqualTo(3), "two ids of 43 characters fit in 100");
            Assert.That(calls.SelectMany(c => c.Coins).Select(c => c.Value), Is.EquivalentTo(coins));
        }
    }

    [Test]
    public void FetchAsync_ProviderFails_EveryWaiterSeesTheFailure()
    {
        var client = new Mock<IPriceClient>();
        client.Setup(c => c.GetPricesAsync(It.IsAny<IReadOnlyCollection<CoinId>>(), It.IsAny<IReadOnlyCollection<Currency>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderUnavailableException(ProviderFailure.Error, "down"));
        var batcher = Batcher(client.Object);

        var first = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        var second = batcher.FetchAsync(Pair("ethereum", "usd"), CancellationToken.None);

        Assert.That(() => first, Throws.TypeOf<ProviderUnavailableException>());
        Assert.That(() => second, Throws.TypeOf<ProviderUnavailableException>());
    }

    [Test]
    public async Task FetchAsync_OneCallerCancels_TheSharedCallStillServesTheOthers()
    {
        var calls = new List<(CoinId[] Coins, Currency[] Currencies)>();
        var batcher = Batcher(EchoClient(calls).Object);
        using var cancelled = new CancellationTokenSource();

        var gone = batcher.FetchAsync(Pair("bitcoin", "usd"), cancelled.Token);
        var kept = batcher.FetchAsync(Pair("bitcoin", "usd"), CancellationToken.None);
        await cancelled.CancelAsync();

        Assert.That(() => gone, Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await kept).Price, Is.EqualTo(10));
    }
}
