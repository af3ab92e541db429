using System.Diagnostics;
using System.Text.Json.Nodes;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>Redis killed and restarted under a running API: every request still answered, readiness truthful, Redis used again without restart.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisOutageTests
{
    [Test]
    public async Task RedisDown_RequestsStillAnsweredAndRedisUsedAgainWhenBack()
    {
        await using var stack = await TestStack.StartAsync();
        var (fake, redis) = (stack.Fake, stack.Redis!);
        var api = await stack.StartApiAsync(withManagement: true, ("Provider__FallbackMaxCallsPerMinute", "20"));
        await api.GetJsonAsync("price?coin=bitcoin&currency=usd");

        await redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var known = await api.GetJsonAsync("price?coin=bitcoin&currency=usd");
        var knownAfter = clock.Elapsed;
        clock.Restart();
        var fresh = await api.GetJsonAsync("price?coin=ethereum&currency=usd");
        var freshAfter = clock.Elapsed;
        var degraded = await ReadinessAsync(api);

        await redis.StartAgainAsync();
        var stored = await EventuallyAsync(async () =>
        {
            await api.GetJsonAsync($"price?coin=coin-{Random.Shared.Next(1_000_000)}&currency=usd");
            return await redis.Database.KeyExistsAsync("cryptocache:v2:provider:calls");
        });
        var recovered = await EventuallyAsync(async () => (string?)(await ReadinessAsync(api))["checks"]!["redis"]!["status"] == "Healthy");

        await TestContext.Out.WriteLineAsync($"redis outage: cached pair answered in {knownAfter.TotalMilliseconds:F0} ms, new pair (provider) in {freshAfter.TotalMilliseconds:F0} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)known["cached"]!, Is.True, "answered from memory");
            Assert.That((decimal)fresh["price"]!, Is.EqualTo(fake.PriceOf("ethereum", "usd")), "answered from the provider within the fallback budget");
            Assert.That(knownAfter, Is.LessThan(TimeSpan.FromSeconds(1)), "a dead Redis costs a short bound");
            Assert.That(freshAfter, Is.LessThan(TimeSpan.FromSeconds(2)));
            Assert.That((string?)degraded["status"], Is.EqualTo("Degraded"), "readiness says why, and stays 200");
            Assert.That((string?)degraded["checks"]!["redis"]!["description"], Does.Contain("unreachable"));
            Assert.That(stored, Is.True, "the shared budget is written to Redis again without a restart");
            Assert.That(recovered, Is.True);
        }
    }

    [Test]
    public async Task RedisKilledUnderLoadAndRestartedEmpty_NoRequestFailsOrWaitsLong()
    {
        await using var stack = await TestStack.StartAsync();
        var redis = stack.Redis!;
        var replicas = await stack.StartReplicasAsync(2, withManagement: false,
            ("CACHE_TTL_SECONDS", "2"), ("Cache__RefreshIntervalMilliseconds", "250"), ("Provider__FallbackMaxCallsPerMinute", "100"));
        var pairs = Enumerable.Range(1, 20).Select(i => $"price?coin=coin-{300 + i}&currency=usd").ToArray();
        foreach (var pair in pairs)
        {
            await replicas[0].GetJsonAsync(pair);
        }

        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        var slowest = TimeSpan.Zero;
        var gate = new object();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        var clients = Enumerable.Range(0, 6).Select(async client =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                using var response = await replicas[client % replicas.Length].GetAsync(pairs[Random.Shared.Next(pairs.Length)]);
                var took = clock.Elapsed;
                statuses.Add((int)response.StatusCode);
                lock (gate)
                {
                    slowest = took > slowest ? took : slowest;
                }
            }
        }).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await redis.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await redis.StartAgainAsync(); // empty: no lock, no price, no budget log survives
        await Task.WhenAll(clients);

        await TestContext.Out.WriteLineAsync($"redis restart under load: {statuses.Count} requests, slowest {slowest.TotalMilliseconds:F0} ms, statuses {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.All.EqualTo(200), "every request answered");
            // The issue's bar is 2 s on a quiet machine (the benchmark measures it); two shared cores under a test suite get slack.
            Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(4)), "no request parked behind a lock that died with Redis");
        }
    }

    private static async Task<JsonObject> ReadinessAsync(ApiProcess api)
    {
        using var response = await api.Management!.GetAsync(new Uri("health/ready", UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "degraded is still ready");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> check)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await check())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
