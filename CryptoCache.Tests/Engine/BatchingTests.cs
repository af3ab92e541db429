using System.Diagnostics;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>Misses for different pairs, from the same or different requests, share provider calls.</summary>
[TestFixture]
[NonParallelizable]
public sealed class BatchingTests
{
    private TestStack _stack = null!;
    private ApiProcess _api = null!;
    private ApiProcess _narrow = null!;

    private FakeCoinGeckoServer _fake => _stack.Fake;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.StartAsync();
        _api = await _stack.StartApiAsync();
        _narrow = await _stack.StartApiAsync(settings: ("Provider__MaxIdsPerCall", "40"));
        await _api.GetJsonAsync("currencies");
        await _narrow.GetJsonAsync("currencies");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [SetUp]
    public void ResetFake() => _fake.Reset();

    [Test]
    public async Task MicroBatching_1000DistinctPairs64AtATime_CostAHandfulOfCalls()
    {
        _fake.Latency = TimeSpan.FromMilliseconds(50);
        var pairs = Enumerable.Range(1, 1000).Select(i => $"price?coin=coin-{i}&currency=usd").ToArray();
        using var gate = new SemaphoreSlim(64);
        var clock = Stopwatch.StartNew();

        var prices = await Task.WhenAll(pairs.Select(async url =>
        {
            await gate.WaitAsync();
            try
            {
                return (decimal)(await _api.GetJsonAsync(url))["price"]!;
            }
            finally
            {
                gate.Release();
            }
        }));

        await TestContext.Out.WriteLineAsync($"micro-batching: 1000 pairs, 64 at a time, provider latency 50 ms: {_fake.PriceCalls} provider calls, {clock.Elapsed.TotalMilliseconds:F0} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.PriceCalls, Is.LessThanOrEqualTo(50), "a handful of calls, not 1000");
            Assert.That(prices.Select((p, i) => p == _fake.PriceOf($"coin-{i + 1}", "usd")).All(ok => ok), Is.True, "each pair got its own price");
        }
    }

    [Test]
    public async Task Prices_BatchOfMisses_SplitByMaxIdsPerCall()
    {
        var coins = string.Join(',', Enumerable.Range(2001, 100).Select(i => $"coin-{i}"));

        var batch = await _narrow.GetJsonAsync($"prices?coins={coins}&currencies=usd,eur");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(batch["prices"]!.AsArray(), Has.Count.EqualTo(200));
            // Three when all 200 misses meet within one batch window; one more when a loaded machine spreads them.
            Assert.That(_fake.PriceCalls, Is.InRange(3, 4), "100 coins at 40 ids per call");
            Assert.That(_fake.PriceRequests.Max(ids => ids.Length), Is.LessThanOrEqualTo(40));
        }
    }

    [Test]
    public async Task Prices_SameBatchAgain_ComesFromTheCacheWithoutProviderCall()
    {
        var coins = string.Join(',', Enumerable.Range(3001, 30).Select(i => $"coin-{i}"));
        await _api.GetJsonAsync($"prices?coins={coins}&currencies=usd");
        _fake.Reset();

        var again = await _api.GetJsonAsync($"prices?coins={coins}&currencies=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.PriceCalls, Is.Zero);
            Assert.That(again["prices"]!.AsArray().All(p => (bool)p!["cached"]!), Is.True);
        }
    }
}
