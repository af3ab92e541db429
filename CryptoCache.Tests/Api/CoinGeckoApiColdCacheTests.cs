using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Api;

/// <summary>
/// CoinGecko-compatible answers that need a cold cache and a provider pause of their own (a 429 pauses every replica
/// sharing the Redis): each test starts its own stack.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CoinGeckoApiColdCacheTests
{
    private TestStack _stack = null!;
    private ApiProcess _api = null!;

    private FakeCoinGeckoServer _fake => _stack.Fake;

    [SetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.StartAsync();
        _api = await _stack.StartApiAsync(settings: [("CACHE_TTL_SECONDS", "1"), ("Cache__FailSafeThrottleSeconds", "1")]);
    }

    [TearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [Test]
    public async Task SimplePrice_RateLimitedWithColdCache_Is429InCoinGeckoShapeWithRetryAfter()
    {
        (await _api.GetAsync("api/v3/simple/supported_vs_currencies")).Dispose();
        _fake.Mode = FakeMode.RateLimited;
        _fake.RetryAfterSeconds = 42;

        using var response = await _api.GetAsync("api/v3/simple/price?ids=coin-201&vs_currencies=usd");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(42)));
            Assert.That((int?)body["status"]?["error_code"], Is.EqualTo(429));
            Assert.That((string?)body["status"]?["error_message"], Is.Not.Empty);
        }
    }

    [Test]
    public async Task SimplePrice_ProviderDownWithColdCache_Is503WithRetryAfterAndError()
    {
        (await _api.GetAsync("api/v3/simple/supported_vs_currencies")).Dispose();
        _fake.Mode = FakeMode.ServerError;

        using var response = await _api.GetAsync("api/v3/simple/price?ids=coin-202&vs_currencies=usd");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)body["error"], Is.Not.Empty);
        }
    }

    [Test]
    public async Task SimplePrice_ProviderDownAfterTtl_ServesStaleAndCacheStatusSaysSo()
    {
        await _api.GetJsonAsync("api/v3/simple/price?ids=coin-203&vs_currencies=usd");
        _fake.Mode = FakeMode.ServerError;
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var response = await _api.GetAsync("api/v3/simple/price?ids=coin-203&vs_currencies=usd");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body["coin-203"]?["usd"]?.GetValue<decimal>(), Is.EqualTo(_fake.PriceOf("coin-203", "usd")));
            Assert.That(response.Headers.GetValues("Cache-Status").Single(), Is.EqualTo("CryptoCache; hit; detail=stale"));
            Assert.That(response.Headers.Age, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)));
        }
    }

    [Test]
    public async Task CoinsList_TwoRequestsWithOtherFlags_OneProviderCall()
    {
        var plain = JsonNode.Parse(await (await _api.GetAsync("api/v3/coins/list")).Content.ReadAsStringAsync())!.AsArray();
        var withPlatforms = JsonNode.Parse(await (await _api.GetAsync("api/v3/coins/list?include_platform=true")).Content.ReadAsStringAsync())!.AsArray();

        var tether = withPlatforms.Single(c => (string?)c!["id"] == "tether")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.CoinsListCalls, Is.EqualTo(1));
            Assert.That(plain[0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "symbol", "name" }));
            Assert.That((string?)tether["platforms"]?["ethereum"], Is.EqualTo("0xdac17f958d2ee523a2206206994597c13d831ec7"));
        }
    }
}
