using System.Diagnostics;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>When the provider fails, the last known price is served marked stale; with nothing known, a 503 with Retry-After.</summary>
[TestFixture]
[NonParallelizable]
public sealed class FailSafeTests
{
    private TestStack _stack = null!;

    private FakeCoinGeckoServer _fake => _stack.Fake;

    private RedisServer _redis => _stack.Redis!;

    [OneTimeSetUp]
    public async Task StartAsync() => _stack = await TestStack.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [SetUp]
    public async Task ResetAsync()
    {
        _fake.Reset();
        await _redis.FlushAsync();
    }

    [TestCase(FakeMode.ServerError, "Error")]
    [TestCase(FakeMode.RateLimited, "RateLimited")]
    [TestCase(FakeMode.RateLimitedWithoutRetryAfter, "RateLimited")]
    [TestCase(FakeMode.Hang, "Timeout")]
    [TestCase(FakeMode.Malformed, "MalformedResponse")]
    public async Task ProviderFailing_KnownPriceServedStale_UnknownPairIs503WithRetryAfter(FakeMode failure, string reason)
    {
        await using var api = await StartApiAsync();
        var fresh = await api.GetJsonAsync("price?coin=cardano&currency=usd");
        _fake.Mode = failure; // the refresher's calls fail from now on
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the 1 s TTL

        var clock = Stopwatch.StartNew();
        var stale = await api.GetJsonAsync("price?coin=cardano&currency=usd");
        var staleAfter = clock.Elapsed;
        using var missing = await api.GetAsync("price?coin=dogecoin&currency=usd");

        var problem = await Problem.AssertAsync(missing, 503);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)stale["stale"]!, Is.True);
            Assert.That((bool)stale["cached"]!, Is.True);
            Assert.That((int)stale["ageSeconds"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That((decimal)stale["price"]!, Is.EqualTo((decimal)fresh["price"]!), "the last known price, never a made-up one");
            Assert.That(staleAfter, Is.LessThan(TimeSpan.FromSeconds(1.5)), "a hanging provider costs at most the soft timeout");
            Assert.That(missing.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            // Repeated server errors of the refresher's calls may have opened the circuit by now: that is the reason then.
            Assert.That((string?)problem["reason"], failure == FakeMode.ServerError ? Is.AnyOf(reason, "CircuitOpen") : Is.EqualTo(reason));
        }
    }

    [Test]
    public async Task ProviderFailing_PriceOlderThanMaxStale_Is503()
    {
        await using var api = await StartApiAsync(("Cache__MaxStaleSeconds", "3"));
        await api.GetJsonAsync("price?coin=solana&currency=eur");
        _fake.Mode = FakeMode.ServerError;

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var stillServed = await api.GetJsonAsync("price?coin=solana&currency=eur");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var tooOld = await api.GetAsync("price?coin=solana&currency=eur");

        Assert.That((bool)stillServed["stale"]!, Is.True, stillServed.ToJsonString());
        await Problem.AssertAsync(tooOld, 503);
    }

    [Test]
    public async Task ProviderFailing_StaleResponse_SaysSoInHeaders()
    {
        await using var api = await StartApiAsync();
        await api.GetJsonAsync("price?coin=ripple&currency=usd");
        _fake.Mode = FakeMode.ServerError;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using var response = await api.GetAsync("price?coin=ripple&currency=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.Zero));
            Assert.That(response.Headers.Age, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        }
    }

    [Test]
    public async Task ProviderFailingRepeatedly_CircuitOpens_AndHoldsCallsBack()
    {
        await using var api = await StartApiAsync(("CoinGecko__CircuitBreakSeconds", "30"));
        _fake.Mode = FakeMode.ServerError;

        var reasons = new List<string?>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await api.GetAsync($"price?coin=coin-{500 + i}&currency=usd");
            reasons.Add((string?)(await Problem.AssertAsync(response, 503))["reason"]);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reasons, Does.Contain("CircuitOpen"));
            Assert.That(reasons.Last(), Is.EqualTo("CircuitOpen"));
            Assert.That(_fake.PriceCalls, Is.LessThan(8), "an open circuit sends nothing");
        }
    }

    [Test]
    public async Task Price_AskedAgainAfterTtl_WasRefreshedInTheBackground()
    {
        await using var api = await StartApiAsync();
        var first = await api.GetJsonAsync("price?coin=ethereum&currency=usd");
        _fake.PriceVersion++;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var second = await api.GetJsonAsync("price?coin=ethereum&currency=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)second["cached"]!, Is.True, "the refresher fetched it before this request");
            Assert.That((bool)second["stale"]!, Is.False);
            Assert.That((decimal)second["price"]!, Is.EqualTo((decimal)first["price"]! + 1));
            Assert.That(_fake.PriceCalls, Is.EqualTo(2));
        }
    }

    private async Task<ApiProcess> StartApiAsync(params (string, string?)[] extra) =>
        await ApiProcess.StartAsync(ApiEnvironment.For(_fake, _redis,
        [
            ("CACHE_TTL_SECONDS", "1"),
            ("Cache__FailSafeThrottleSeconds", "1"),
            ("Cache__FactorySoftTimeoutMilliseconds", "300"),
            ("Cache__EagerRefreshThreshold", "0.99"),
            ("Cache__RefreshIntervalMilliseconds", "200"),
            // One refresh call every 0.2 s at most: the pace a 1 s TTL needs.
            ("Provider__MaxCallsPerMinute", "600"),
            ("CoinGecko__TimeoutSeconds", "1"),
            ("CoinGecko__MaxRetries", "0"),
            .. extra,
        ]));
}
