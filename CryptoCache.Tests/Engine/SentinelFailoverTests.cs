using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;
using StackExchange.Redis;

namespace CryptoCache.Tests.Engine;

/// <summary>
/// Redis under Sentinel, as deploy/k8s/overlays/ha and the Compose HA file run it: two API replicas given the sentinels'
/// addresses and the master's name, under load, while the primary is killed. Real redis-server processes on loopback.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SentinelFailoverTests
{
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReadyAgainWithin = TimeSpan.FromSeconds(15);

    [Test]
    public async Task PrimaryKilled_UnderLoad_EveryRequestAnsweredAndReplicasFollowThePromotedReplica()
    {
        await using var cluster = await SentinelCluster.StartAsync(DownAfter, FailoverTimeout);
        await using var fake = await FakeCoinGeckoServer.StartAsync();
        var apis = new List<ApiProcess>();
        var load = new Load();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                apis.Add(await ApiProcess.StartAsync(
                    ApiEnvironment.For(fake, null, ("Redis__ConnectionString", cluster.ConnectionString), ("Redis__Password", cluster.Password)),
                    withManagement: true));
            }

            foreach (var api in apis)
            {
                Assert.That(await EventuallyAsync(async () => await RedisStatusAsync(api) == "Healthy", TimeSpan.FromSeconds(20)), Is.True,
                    $"the API reaches the primary through the sentinels before the test begins:\n{api.Output}");
            }

            // Before the kill: writes reach the primary found through the sentinels.
            var before = await AskNewPairAsync(apis[0]);
            Assert.That(await EventuallyAsync(async () => await PriceKeyExistsAsync(cluster, cluster.PrimaryPort, before), TimeSpan.FromSeconds(10)), Is.True,
                "a price is cached on the primary");

            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 4).Select(client => load.RunAsync(apis, client, stop.Token)).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var requestsBeforeKill = load.Requests;

            var clock = Stopwatch.StartNew();
            await cluster.KillPrimaryAsync();

            var promotedAfter = await EventuallyTimedAsync(
                async () => await cluster.MasterPortAsync(cluster.SentinelPorts[0]) == cluster.ReplicaPort, clock, TimeSpan.FromSeconds(30));
            var readyAfter = await EventuallyTimedAsync(async () =>
            {
                foreach (var api in apis)
                {
                    if (await RedisStatusAsync(api) != "Healthy")
                    {
                        return false;
                    }
                }

                return true;
            }, clock, TimeSpan.FromSeconds(30));

            // Writes go to the promoted replica: a pair nobody asked before is cached there, and a new provider call
            // is counted there in the budget every replica shares (the key is dropped first, so only a new write can
            // make it exist: it may have been copied from the old primary before the kill).
            var newPrimary = cluster.Node(cluster.ReplicaPort);
            TimeSpan? writtenAfter = null;
            var budgetShared = false;
            string? after = null;
            if (promotedAfter is not null)
            {
                writtenAfter = await EventuallyTimedAsync(async () =>
                {
                    await newPrimary.KeyDeleteAsync("cryptocache:v2:provider:calls");
                    after = await AskNewPairAsync(apis[1]);
                    return await EventuallyAsync(async () => await PriceKeyExistsAsync(cluster, cluster.ReplicaPort, after), TimeSpan.FromSeconds(2));
                }, clock, TimeSpan.FromSeconds(30));
                budgetShared = await EventuallyAsync(async () =>
                {
                    if (await newPrimary.KeyExistsAsync("cryptocache:v2:provider:calls"))
                    {
                        return true;
                    }

                    await AskNewPairAsync(apis[0]);
                    return false;
                }, TimeSpan.FromSeconds(10));
            }

            await Task.Delay(TimeSpan.FromSeconds(1)); // load keeps going on the new primary for a moment
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            await TestContext.Out.WriteLineAsync(
                $"sentinel failover: down-after {DownAfter.TotalMilliseconds:F0} ms; promoted after {Ms(promotedAfter)}, both replicas' readiness Healthy after {Ms(readyAfter)}, " +
                $"cache writes on the promoted replica after {Ms(writtenAfter)} (from the kill); {load.Requests} requests over {load.Requests - requestsBeforeKill} during and after the failover " +
                $"by 4 clients on 2 replicas, {load.Failures.Count} failed, slowest answer {load.Slowest.TotalMilliseconds:F0} ms, median {load.Median.TotalMilliseconds:F0} ms");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(promotedAfter, Is.Not.Null, "the sentinels promote the replica");
                Assert.That(load.Failures, Is.Empty, "every request during the failover is answered with 200");
                Assert.That(load.Requests, Is.GreaterThan(50), "the load ran");
                Assert.That(readyAfter, Is.Not.Null.And.LessThan(ReadyAgainWithin), "both replicas' readiness says Redis is Healthy again");
                Assert.That(writtenAfter, Is.Not.Null, $"a new pair ({after}) is cached on the promoted replica");
                Assert.That(budgetShared, Is.True, "the provider budget is counted on the promoted replica, shared by both API replicas");
            }
        }
        finally
        {
            foreach (var api in apis)
            {
                await api.DisposeAsync();
            }
        }
    }

    private static string Ms(TimeSpan? elapsed) => elapsed is { } e ? $"{e.TotalMilliseconds:F0} ms" : "never";

    private static async Task<string> AskNewPairAsync(ApiProcess api)
    {
        var coin = $"coin-{Random.Shared.Next(100_000, 10_000_000).ToString(CultureInfo.InvariantCulture)}";
        await api.GetJsonAsync($"price?coin={coin}&currency=usd");
        return coin;
    }

    private static async Task<bool> PriceKeyExistsAsync(SentinelCluster cluster, int port, string coin) =>
        await cluster.Node(port).KeyExistsAsync($"cryptocache:v2:price:{coin}:usd");

    private static async Task<string?> RedisStatusAsync(ApiProcess api)
    {
        try
        {
            using var response = await api.Management!.GetAsync(new Uri("health/ready", UriKind.Relative));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return (string?)body?["checks"]?["redis"]?["status"];
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> check, TimeSpan timeout) =>
        await EventuallyTimedAsync(check, Stopwatch.StartNew(), timeout) is not null;

    /// <summary>The clock's reading when the check first holds, or null when it never does within the timeout.</summary>
    private static async Task<TimeSpan?> EventuallyTimedAsync(Func<Task<bool>> check, Stopwatch clock, TimeSpan timeout)
    {
        var deadline = clock.Elapsed + timeout;
        while (clock.Elapsed < deadline)
        {
            try
            {
                if (await check())
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or HttpRequestException or AssertionException)
            {
                // not yet: a node is down or an answer is not in yet
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>A few clients asking both replicas for coin-1..coin-20 in usd, each as soon as its last answer came.</summary>
    private sealed class Load
    {
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly ConcurrentBag<TimeSpan> _latencies = [];
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public ConcurrentQueue<string> Failures => _failures;

        public TimeSpan Slowest => _latencies.IsEmpty ? TimeSpan.Zero : _latencies.Max();

        public TimeSpan Median => _latencies.IsEmpty ? TimeSpan.Zero : _latencies.Order().ElementAt(_latencies.Count / 2);

        public async Task RunAsync(List<ApiProcess> apis, int client, CancellationToken stop)
        {
            for (var n = client; !stop.IsCancellationRequested; n++)
            {
                var api = apis[n % apis.Count];
                var path = $"price?coin=coin-{((n % 20) + 1).ToString(CultureInfo.InvariantCulture)}&currency=usd";
                var clock = Stopwatch.StartNew();
                try
                {
                    // No cancellation token: a request begun is always awaited to its end, so a slow answer counts.
                    using var response = await api.GetAsync(path);
                    if ((int)response.StatusCode != 200)
                    {
                        _failures.Enqueue($"{path} on :{api.Port} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    _failures.Enqueue($"{path} on :{api.Port} → {ex.GetType().Name}: {ex.Message}");
                }

                _latencies.Add(clock.Elapsed);
                Interlocked.Increment(ref _requests);
                await Task.Delay(10, CancellationToken.None);
            }
        }
    }
}
