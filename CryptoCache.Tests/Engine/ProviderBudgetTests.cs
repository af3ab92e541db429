using System.Net;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>The provider-call budget and the 429 pause, shared by two replicas through one real Redis.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ProviderBudgetTests
{
    private TestStack _stack = null!;
    private ApiProcess[] _replicas = [];

    private FakeCoinGeckoServer _fake => _stack.Fake;

    private RedisServer _redis => _stack.Redis!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.StartAsync();
        _replicas = await _stack.StartReplicasAsync(2, settings:
        [
            ("Provider__MaxCallsPerMinute", "3"),
            ("Provider__RateLimitBackoffSeconds", "7"),
            ("CoinGecko__MaxRetries", "0"),
        ]);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [SetUp]
    public async Task ResetAsync()
    {
        // Validation's currency list is cached before each test, so that only price calls are counted.
        foreach (var replica in _replicas)
        {
            await replica.GetJsonAsync("currencies");
        }

        await _redis.Database.KeyDeleteAsync(["cryptocache:v2:provider:calls", "cryptocache:v2:provider:cooldown"]);
        _fake.Reset();
    }

    [Test]
    public async Task Budget_SpentAcrossTwoReplicas_NoFurtherProviderCallAnd503WithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 1; i <= 6; i++)
        {
            var response = await _replicas[i % 2].GetAsync($"price?coin=coin-{100 + i}&currency=usd");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused?.Dispose();
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.PriceCalls, Is.EqualTo(3), "three calls a minute, counted across both replicas");
            Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(3));
            Assert.That(statuses.Count(s => s == HttpStatusCode.ServiceUnavailable), Is.EqualTo(3));
        }

        var problem = await Problem.AssertAsync(refused!, 503);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)problem["reason"], Is.EqualTo("BudgetExhausted"));
            Assert.That(refused!.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(60)));
        }

        refused!.Dispose();
    }

    [Test]
    public async Task RateLimited_On429WithRetryAfter_EveryReplicaPausesForThatLong()
    {
        _fake.Mode = FakeMode.RateLimited;
        _fake.RetryAfterSeconds = 42;

        using var first = await _replicas[0].GetAsync("price?coin=coin-201&currency=usd");
        _fake.Mode = FakeMode.Normal;
        using var second = await _replicas[1].GetAsync("price?coin=coin-202&currency=usd");

        await Problem.AssertAsync(first, 503);
        var problem = await Problem.AssertAsync(second, 503);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.PriceCalls, Is.EqualTo(1), "the other replica did not call the provider during the pause");
            Assert.That((string?)problem["reason"], Is.EqualTo("RateLimited"));
            Assert.That(first.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(40, 42));
            Assert.That(second.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(30, 42));
        }
    }

    [Test]
    public async Task RateLimited_On429WithoutRetryAfter_PausesForTheConfiguredBackoff()
    {
        _fake.Mode = FakeMode.RateLimitedWithoutRetryAfter;

        using var first = await _replicas[1].GetAsync("price?coin=coin-301&currency=usd");
        _fake.Mode = FakeMode.Normal;
        using var second = await _replicas[0].GetAsync("price?coin=coin-302&currency=usd");

        await Problem.AssertAsync(first, 503);
        await Problem.AssertAsync(second, 503);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.PriceCalls, Is.EqualTo(1));
            Assert.That(second.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 7));
        }
    }
}
