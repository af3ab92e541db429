using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>
/// Fair share with real processes: a budget of 6 calls a minute, one client asking for 1,000 new pairs and another
/// asking for 5 right after. The shared budget protects the provider; the per-client share protects the other client.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FairShareTests
{
    private TestStack _stack = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _stack = await TestStack.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [SetUp]
    public async Task ResetAsync()
    {
        await _stack.Redis!.FlushAsync();
        _stack.Fake.Reset();
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, TimeSpan? RetryAfter)> GetAsync(ApiProcess api, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", key);
        using var response = await api.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, body, response.Headers.RetryAfter?.Delta);
    }

    private static string Batch(int first) => "prices?currencies=usd&coins=" + string.Join(',', Enumerable.Range(first, 100).Select(i => $"coin-{i}"));

    [Test]
    public async Task ColdPairsPerClient_AAsks1000NewPairs_BStillGetsItsFive()
    {
        var api = await _stack.StartApiAsync(settings: [("Provider__MaxCallsPerMinute", "6"), ("Clients__MaxColdPairsPerMinute", "200"), ("Clients__MaxBudgetShare", "0.5")]);
        await api.GetJsonAsync("currencies");

        // A: 1,000 distinct cold pairs, ten requests of 100 at once.
        var a = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => GetAsync(api, "a", Batch(1 + (i * 100)))));
        // B: five new pairs right after.
        var b = await GetAsync(api, "b", "prices?currencies=usd&coins=coin-5001,coin-5002,coin-5003,coin-5004,coin-5005");
        // A's cached answers keep coming.
        var again = await GetAsync(api, "a", "prices?currencies=usd&coins=" + string.Join(',', a.Where(r => r.Status == HttpStatusCode.OK)
            .SelectMany(r => r.Body["prices"]!.AsArray()).Take(50).Select(p => (string)p!["coin"]!)));

        var aPrices = a.Where(r => r.Status == HttpStatusCode.OK).Sum(r => r.Body["prices"]!.AsArray().Count);
        var aQuotaMissing = a.Where(r => r.Status == HttpStatusCode.OK).Sum(r => r.Body["missing"]!.AsArray().Count(m => (string?)m!["reason"] == "quota"));
        var a429 = a.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        await TestContext.Out.WriteLineAsync(
            $"fair share (200 cold pairs a minute): A {a.Count(r => r.Status == HttpStatusCode.OK)}×200 ({aPrices} prices, {aQuotaMissing} refused in 'missing'), {a429.Count}×429 " +
            $"(Retry-After {string.Join(",", a429.Select(r => r.RetryAfter?.TotalSeconds))} s), other: {a.Count(r => r.Status is not HttpStatusCode.OK and not HttpStatusCode.TooManyRequests)}; " +
            $"B {(int)b.Status} with {b.Body["prices"]?.AsArray().Count} of 5 prices; A's cached again {(int)again.Status} with {again.Body["prices"]?.AsArray().Count}; provider price calls {_stack.Fake.PriceCalls}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(b.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(b.Body["prices"]!.AsArray(), Has.Count.EqualTo(5), "B gets every one of its new pairs");
            Assert.That(a.Select(r => (int)r.Status), Has.All.EqualTo(200).Or.EqualTo(429), "never a 5xx");
            Assert.That(aPrices, Is.EqualTo(200), "A's share: 200 cold pairs a minute");
            Assert.That(a429, Is.Not.Empty);
            Assert.That(a429.Select(r => r.RetryAfter?.TotalSeconds ?? 0), Has.All.InRange(1, 60));
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.Body["prices"]!.AsArray(), Has.Count.EqualTo(50), "hits are never charged");
        }
    }

    [Test]
    public async Task BudgetSharePerClient_AsMissesRodeOnHalfTheBudget_ItsNewPairsAre429AndBsGo()
    {
        // No cold-pair limit: only the share of the budget's calls (half of 6) holds A back.
        var api = await _stack.StartApiAsync(settings: [("Provider__MaxCallsPerMinute", "6"), ("Clients__MaxColdPairsPerMinute", "0"), ("Clients__MaxBudgetShare", "0.5")]);
        await api.GetJsonAsync("currencies");

        var a = new List<(HttpStatusCode Status, JsonObject Body, TimeSpan? RetryAfter)>();
        for (var i = 0; i < 10; i++)
        {
            a.Add(await GetAsync(api, "a", Batch(1 + (i * 100))));
        }

        var callsByA = _stack.Fake.PriceCalls;
        var b = await GetAsync(api, "b", "prices?currencies=usd&coins=coin-5001,coin-5002,coin-5003,coin-5004,coin-5005");
        var coinGecko = await GetAsync(api, "a", "api/v3/simple/price?ids=coin-7001&vs_currencies=usd");
        await TestContext.Out.WriteLineAsync(
            $"fair share (half the budget): A {a.Count(r => r.Status == HttpStatusCode.OK)}×200, {a.Count(r => r.Status == HttpStatusCode.TooManyRequests)}×429, " +
            $"provider calls for A {callsByA}; B {(int)b.Status} with {b.Body["prices"]?.AsArray().Count} of 5; A on /api/v3 {(int)coinGecko.Status} {coinGecko.Body.ToJsonString()}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(callsByA, Is.EqualTo(3), "A's misses rode on half of the 6 calls");
            Assert.That(a.Count(r => r.Status == HttpStatusCode.OK), Is.EqualTo(3));
            Assert.That(a.Skip(3).Select(r => r.Status), Has.All.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((string?)a[^1].Body["reason"], Is.EqualTo("ClientQuota"));
            Assert.That(b.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(b.Body["prices"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That(coinGecko.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((int?)coinGecko.Body["status"]?["error_code"], Is.EqualTo(429));
            Assert.That(coinGecko.RetryAfter?.TotalSeconds ?? 0, Is.InRange(1, 60));
        }
    }
}
