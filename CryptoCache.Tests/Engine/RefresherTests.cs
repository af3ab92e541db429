using System.Diagnostics;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>
/// The bulk refresher with real Redis, real API processes and the fake provider: the pairs clients ask for are
/// refreshed together by one replica, within the budget, and requests for them never wait on the provider.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RefresherTests
{
    private static readonly string[] Currencies = ["usd", "eur"];

    /// <summary>Short TTL and quick ticks, so that a test sees several refresh rounds in a few seconds.</summary>
    private static readonly (string, string?)[] QuickRefresh =
    [
        ("CACHE_TTL_SECONDS", "3"),
        ("Cache__EagerRefreshThreshold", "0.5"),
        ("Cache__RefreshIntervalMilliseconds", "200"),
    ];

    [Test]
    public async Task HotPairs_AskedOverThreeReplicas_RefreshedTogetherInOneCallPerRound()
    {
        await using var stack = await TestStack.StartAsync();
        var replicas = await stack.StartReplicasAsync(3, withManagement: false, QuickRefresh);
        var coins = Enumerable.Range(1, 10).Select(i => $"coin-{i}").ToArray();
        for (var i = 0; i < replicas.Length; i++)
        {
            await replicas[i].GetJsonAsync($"prices?coins={string.Join(',', coins)}&currencies=usd,eur");
        }

        stack.Fake.Reset();
        var answers = await AskForAsync(replicas, coins, TimeSpan.FromSeconds(4.5));

        var refreshes = stack.Fake.PriceRequests;
        await TestContext.Out.WriteLineAsync($"refresher: {answers.Count} answers over 4.5 s, {refreshes.Count} provider calls of {string.Join(", ", refreshes.Select(r => r.Length))} ids");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refreshes, Has.Count.InRange(1, 4), "20 hot pairs due every 1.5 s: one call a round, not one per pair or replica");
            Assert.That(refreshes.Select(r => r.Length), Is.All.EqualTo(10), "every call carried all ten coins");
            Assert.That(answers.Select(a => (bool)a["stale"]!), Is.All.False, "the refresher kept them fresh");
            Assert.That(answers.Select(a => (bool)a["cached"]!), Is.All.True, "no request called the provider");
        }
    }

    [Test]
    public async Task Leader_Killed_AnotherReplicaTakesOverWithinSeconds()
    {
        await using var stack = await TestStack.StartAsync();
        var replicas = await stack.StartReplicasAsync(2, withManagement: true, QuickRefresh);
        await replicas[0].GetJsonAsync("price?coin=cardano&currency=usd");

        var leaders = await EventuallyAsync(async () => (await LeadersAsync(replicas)).Count(l => l) == 1);
        var leader = replicas[(await LeadersAsync(replicas)).IndexOf(true)];
        var follower = replicas.Single(r => r != leader);
        await leader.DisposeAsync(); // killed: no chance to give the lease up
        var clock = Stopwatch.StartNew();
        var tookOver = await EventuallyAsync(async () => (bool)(await StatsAsync(follower))["refresherLeader"]!, TimeSpan.FromSeconds(15));
        var takeover = clock.Elapsed;

        stack.Fake.Reset();
        stack.Fake.PriceVersion++;
        var refreshed = await EventuallyAsync(async () =>
            (decimal)(await follower.GetJsonAsync("price?coin=cardano&currency=usd"))["price"]! == stack.Fake.PriceOf("cardano", "usd"));

        await TestContext.Out.WriteLineAsync($"refresher: lease taken over {takeover.TotalMilliseconds:F0} ms after the leader was killed");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(leaders, Is.True, "exactly one leader while both run");
            Assert.That(tookOver, Is.True);
            Assert.That(takeover, Is.LessThan(TimeSpan.FromSeconds(10)), "the lease outlives a few ticks, no more");
            Assert.That(refreshed, Is.True, "the new leader refreshes");
        }
    }

    [Test]
    public async Task BudgetSpent_HotPairsServedStaleNever503()
    {
        await using var stack = await TestStack.StartAsync();
        var api = await stack.StartApiAsync(withManagement: true,
            ("CACHE_TTL_SECONDS", "1"), ("Cache__RefreshIntervalMilliseconds", "200"), ("Provider__MaxCallsPerMinute", "3"), ("Provider__MissReserveFraction", "0"));
        await api.GetJsonAsync("prices?coins=bitcoin,ethereum,cardano&currencies=usd"); // calls 1 and 2 of 3: the currency list, the prices

        var answers = await AskForAsync([api], ["bitcoin", "ethereum", "cardano"], TimeSpan.FromSeconds(4), ["usd"]);

        using (Assert.EnterMultipleScope())
        {
            // 3 a minute, one spent on the currency list: the prices get the other two at most. The budget cannot keep a
            // 1 s TTL fresh, so the misses are held back for the refresher's bulk call (one call or two).
            Assert.That(stack.Fake.PriceCalls, Is.InRange(1, 2), "the budget holds");
            Assert.That(answers.Select(a => (bool)a["stale"]!), Does.Contain(true), "the rest of the minute is served stale");
            Assert.That((int)answers[^1]["ageSeconds"]!, Is.GreaterThanOrEqualTo(1));
        }
    }

    [Test]
    public async Task PairsNoLongerAsked_LeaveTheHotSet()
    {
        await using var stack = await TestStack.StartAsync();
        var api = await stack.StartApiAsync(withManagement: true, ("Cache__HotWindowSeconds", "2"), ("Cache__RefreshIntervalMilliseconds", "200"));
        await api.GetJsonAsync("prices?coins=bitcoin,ethereum,cardano&currencies=usd");

        var counted = await EventuallyAsync(async () => (int)(await StatsAsync(api))["hotPairs"]! == 3);
        var forgotten = await EventuallyAsync(async () => (int)(await StatsAsync(api))["hotPairs"]! == 0, TimeSpan.FromSeconds(6));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counted, Is.True, "three pairs asked: three hot pairs in the cluster's set");
            Assert.That(forgotten, Is.True, "not asked for two seconds: gone");
        }
    }

    [Test]
    public async Task RedisDown_EachReplicaRefreshesItsOwnHotSetWithinItsFallbackBudget()
    {
        await using var stack = await TestStack.StartAsync();
        var replicas = await stack.StartReplicasAsync(2, withManagement: true,
            [.. QuickRefresh, ("Provider__FallbackMaxCallsPerMinute", "60")]);
        await replicas[0].GetJsonAsync("price?coin=coin-79&currency=usd");
        await replicas[1].GetJsonAsync("price?coin=coin-78&currency=usd");

        await stack.Redis!.StopAsync();
        stack.Fake.PriceVersion++;
        var first79 = await EventuallyAsync(async () =>
            (decimal)(await replicas[0].GetJsonAsync("price?coin=coin-79&currency=usd"))["price"]! == stack.Fake.PriceOf("coin-79", "usd"));
        var first78 = await EventuallyAsync(async () =>
            (decimal)(await replicas[1].GetJsonAsync("price?coin=coin-78&currency=usd"))["price"]! == stack.Fake.PriceOf("coin-78", "usd"));
        var leaders = await LeadersAsync(replicas);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first79, Is.True, "replica 1 refreshed its own pair");
            Assert.That(first78, Is.True, "replica 2 refreshed its own pair");
            Assert.That(leaders, Is.All.True, "each refreshes for itself while Redis is down");
        }
    }

    [Test]
    public async Task NoRedis_TheProcessRefreshesItsOwnHotSet()
    {
        await using var stack = await TestStack.StartAsync(withRedis: false);
        var api = await stack.StartApiAsync(withManagement: true, QuickRefresh);
        var first = await api.GetJsonAsync("price?coin=coin-77&currency=usd");
        stack.Fake.PriceVersion++;

        var answers = await AskForAsync([api], ["coin-77"], TimeSpan.FromSeconds(2.5), ["usd"]);
        var stats = await StatsAsync(api);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((decimal)answers[^1]["price"]!, Is.EqualTo((decimal)first["price"]! + 1), "refreshed in the background");
            Assert.That(answers.Select(a => (bool)a["stale"]!), Is.All.False);
            Assert.That((bool)stats["refresherLeader"]!, Is.True);
            Assert.That((long)stats["refreshCalls"]!, Is.GreaterThanOrEqualTo(1));
        }
    }

    /// <summary>Asks for random pairs of the coins on every replica in turn, every 100 ms, for <paramref name="duration"/>.</summary>
    private static async Task<List<JsonObject>> AskForAsync(ApiProcess[] replicas, string[] coins, TimeSpan duration, string[]? currencies = null)
    {
        currencies ??= Currencies;
        var answers = new List<JsonObject>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var coin = coins[Random.Shared.Next(coins.Length)];
            var currency = currencies[Random.Shared.Next(currencies.Length)];
            answers.Add(await replicas[i % replicas.Length].GetJsonAsync($"price?coin={coin}&currency={currency}"));
            await Task.Delay(100);
        }

        return answers;
    }

    private static async Task<JsonObject> StatsAsync(ApiProcess api)
    {
        var body = await api.Management!.GetStringAsync(new Uri("admin/cache/stats", UriKind.Relative));
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<List<bool>> LeadersAsync(IEnumerable<ApiProcess> replicas)
    {
        var leaders = new List<bool>();
        foreach (var replica in replicas)
        {
            leaders.Add((bool)(await StatsAsync(replica))["refresherLeader"]!);
        }

        return leaders;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (within ?? TimeSpan.FromSeconds(10)))
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
