using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;

namespace CryptoCache.Tests.Fake;

/// <summary>The fake's call counts, call times and control endpoints, and its failure modes on the new endpoints.</summary>
[NonParallelizable]
public sealed class FakeStatsTests
{
    private FakeCoinGeckoServer _fake = null!;
    private FakeHttp _http = null!;

    [OneTimeSetUp]
    public async Task StartFake()
    {
        _fake = await FakeCoinGeckoServer.StartAsync(withControlEndpoints: true);
        _http = new FakeHttp(_fake);
    }

    [OneTimeTearDown]
    public async Task StopFake()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [SetUp]
    public void ResetFake() => _fake.Reset();

    [Test]
    public async Task Stats_AfterCallsToEveryEndpoint_CountsEachAndTimesThem()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _http.GetOkAsync("simple/price?ids=bitcoin&vs_currencies=usd");
        await _http.GetAsync("simple/price?ids=bitcoin");
        await _http.GetOkAsync("simple/token_price/ethereum?contract_addresses=0x2260fac5e5542a773aa44fbcfedf7c193bc2c599&vs_currencies=usd");
        await _http.GetOkAsync("coins/list");
        await _http.GetOkAsync("simple/supported_vs_currencies");
        await _http.GetOkAsync("ping");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var stats = await _http.GetOkAsync("/__fake/stats");

        Assert.Multiple(() =>
        {
            Assert.That((int)stats["priceCalls"]!, Is.EqualTo(2).And.EqualTo(_fake.PriceCalls), "a 400 counts, as at CoinGecko");
            Assert.That((int)stats["tokenPriceCalls"]!, Is.EqualTo(1).And.EqualTo(_fake.TokenPriceCalls));
            Assert.That((int)stats["coinsListCalls"]!, Is.EqualTo(1).And.EqualTo(_fake.CoinsListCalls));
            Assert.That((int)stats["currencyCalls"]!, Is.EqualTo(1).And.EqualTo(_fake.CurrencyCalls));
            Assert.That((int)stats["pingCalls"]!, Is.EqualTo(1).And.EqualTo(_fake.PingCalls));
            Assert.That((int)stats["totalCalls"]!, Is.EqualTo(6).And.EqualTo(_fake.TotalCalls));
            Assert.That((int)stats["priceRequests"]!, Is.EqualTo(2));
            Assert.That((int)stats["maxCallsPer60s"]!, Is.EqualTo(6));
            var callTimes = stats["callTimes"]!.AsArray().Select(t => (long)t!).ToArray();
            Assert.That(callTimes, Has.Length.EqualTo(6));
            Assert.That(callTimes, Is.All.InRange(before, after));
            Assert.That(callTimes, Is.Ordered);
        });
    }

    [Test]
    public async Task Reset_AfterCalls_ZeroesEveryCountAndForgetsCallTimes()
    {
        await _http.GetOkAsync("coins/list");
        await _http.GetOkAsync("simple/token_price/ethereum?contract_addresses=0x0000000000000000000000000000000000010000&vs_currencies=usd");

        await _http.PostAsync("/__fake/reset");
        var stats = await _http.GetOkAsync("/__fake/stats");

        Assert.Multiple(() =>
        {
            Assert.That(new[] { "priceCalls", "currencyCalls", "pingCalls", "tokenPriceCalls", "coinsListCalls", "totalCalls", "priceRequests", "maxCallsPer60s" }.Select(f => (int)stats[f]!), Is.All.Zero);
            Assert.That(stats["callTimes"]!.AsArray(), Is.Empty);
            Assert.That(_fake.CallTimes, Is.Empty);
        });
    }

    [Test]
    public async Task PriceRequests_NamesOrSymbols_RecordTheResolvedIds()
    {
        await _http.GetOkAsync("simple/price?ids=bitcoin,nope&vs_currencies=usd");
        await _http.GetOkAsync("simple/price?names=Cardano&vs_currencies=usd");
        await _http.GetOkAsync("simple/price?symbols=usdc&include_tokens=all&vs_currencies=usd");

        Assert.That(_fake.PriceRequests, Is.EqualTo(new[]
        {
            new[] { "bitcoin", "nope" },
            new[] { "cardano" },
            new[] { "usd-coin", "binance-bridged-usdc-bnb-smart-chain" },
        }));
    }

    [Test]
    public async Task MaxCallsInWindow_CallsOnBothSidesOfAGap_CountsTheBusierWindow()
    {
        await _http.GetOkAsync("ping");
        await Task.Delay(300);
        await _http.GetOkAsync("ping");
        await _http.GetOkAsync("ping");

        Assert.Multiple(() =>
        {
            Assert.That(_fake.MaxCallsInWindow(TimeSpan.FromMilliseconds(250)), Is.EqualTo(2));
            Assert.That(_fake.MaxCallsInWindow(TimeSpan.FromSeconds(60)), Is.EqualTo(3));
        });
    }

    [TestCase("simple/token_price/ethereum?contract_addresses=0x2260fac5e5542a773aa44fbcfedf7c193bc2c599&vs_currencies=usd")]
    [TestCase("coins/list?include_platform=true")]
    public async Task Mode_RateLimited_AppliesToTheNewEndpoints(string path)
    {
        await _http.PostAsync("/__fake/mode?mode=RateLimited&retryAfterSeconds=7");

        var (status, body) = await _http.GetAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((int?)body?["status"]?["error_code"], Is.EqualTo(429));
            Assert.That(_fake.TotalCalls, Is.EqualTo(1), "a refused call counts too");
        });
    }
}
