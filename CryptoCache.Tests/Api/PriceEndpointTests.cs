using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;
using StackExchange.Redis;

namespace CryptoCache.Tests.Api;

/// <summary>The seed walk-through and every class of bad input, against the real API, a real Redis and the fake provider.</summary>
[TestFixture]
[NonParallelizable]
public sealed class PriceEndpointTests
{
    private TestStack _stack = null!;
    private ApiProcess _api = null!;

    private FakeCoinGeckoServer _fake => _stack.Fake;

    private RedisServer _redis => _stack.Redis!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.StartAsync();
        _api = await _stack.StartApiAsync(settings: ("CACHE_TTL_SECONDS", "120"));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [SetUp]
    public void ResetFake() => _fake.Reset();

    [Test]
    public async Task Health_Always_AnswersHealthy()
    {
        var health = await _api.GetJsonAsync("health");

        Assert.That(health.ToJsonString(), Is.EqualTo("""{"status":"Healthy"}"""));
    }

    [Test]
    [Order(0)] // the seed's pair must still be uncached: other tests ask for it too
    public async Task Price_AskedTwice_FirstFromProviderThenFromCacheAndStoredInRedis()
    {
        var first = await _api.GetJsonAsync("price?coin=bitcoin&currency=usd");
        var second = await _api.GetJsonAsync("price?coin=bitcoin&currency=usd");

        var key = "cryptocache:v2:price:bitcoin:usd";
        var stored = (string?)await _redis.Database.HashGetAsync(key, "data");
        var ttl = await _redis.Database.KeyTimeToLiveAsync(key);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)first["cached"]!, Is.False);
            Assert.That((bool)second["cached"]!, Is.True);
            Assert.That((decimal)first["price"]!, Is.EqualTo(_fake.PriceOf("bitcoin", "usd")));
            Assert.That(first["price"]!.ToJsonString(), Is.EqualTo("67187.3358936566"), "the provider's precision");
            Assert.That((decimal)second["price"]!, Is.EqualTo((decimal)first["price"]!));
            Assert.That((string?)first["coin"], Is.EqualTo("bitcoin"));
            Assert.That((string?)first["currency"], Is.EqualTo("usd"));
            Assert.That((bool)first["stale"]!, Is.False);
            Assert.That((string?)first["source"], Is.EqualTo("coingecko"));
            Assert.That(first["fetchedAt"]!.GetValue<string>(), Does.EndWith("Z"));
            Assert.That(first["lastUpdatedAt"]!.GetValue<string>(), Is.EqualTo("2024-03-25T08:45:00Z"));
            Assert.That(_fake.PriceCalls, Is.EqualTo(1));
            Assert.That(stored, Does.Contain("67187.3358936566"), "the price is kept in Redis");
            Assert.That(stored, Does.Contain("FetchedAt").And.Contain("LastUpdatedAt"));
            Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.Zero), "the Redis key expires");
        }
    }

    [Test]
    public async Task Price_NoParameters_UsesDefaultCoinAndCurrency()
    {
        var price = await _api.GetJsonAsync("price");

        Assert.That(((string?)price["coin"], (string?)price["currency"]), Is.EqualTo(("bitcoin", "usd")));
    }

    [Test]
    public async Task Price_MixedCase_IsNormalised()
    {
        var price = await _api.GetJsonAsync("price?coin=EtHeReUm&currency=EUR");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((string?)price["coin"], (string?)price["currency"]), Is.EqualTo(("ethereum", "eur")));
            Assert.That((decimal)price["price"]!, Is.EqualTo(_fake.PriceOf("ethereum", "eur")));
        }
    }

    [Test]
    public async Task Price_Fresh_SendsMaxAgeAndAge()
    {
        using var response = await _api.GetAsync("price?coin=solana&currency=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.CacheControl?.MaxAge, Is.GreaterThan(TimeSpan.FromSeconds(100)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(response.Headers.Age, Is.Not.Null.And.LessThan(TimeSpan.FromSeconds(20)));
        }
    }

    [TestCase("price?coin=bitcoin%26ids%3Dethereum&currency=usd", "coin", TestName = "Price_InjectedQuery_Is400")]
    [TestCase("price?coin=bit%00coin&currency=usd", "coin", TestName = "Price_NulByte_Is400")]
    [TestCase("price?coin=..%2F..%2Fetc%2Fpasswd&currency=usd", "coin", TestName = "Price_PathTraversal_Is400")]
    [TestCase("price?coin=bitcoin%20cash&currency=usd", "coin", TestName = "Price_Space_Is400")]
    [TestCase("price?coin=bitc%C3%B6in&currency=usd", "coin", TestName = "Price_NonAscii_Is400")]
    [TestCase("price?coin=bitcoin&currency=usd1", "currency", TestName = "Price_CurrencyWithDigit_Is400")]
    [TestCase("price?coin=bitcoin&currency=xyz", "currency", TestName = "Price_UnsupportedCurrency_Is400")]
    [TestCase("price?coin=bitcoin&currency=u", "currency", TestName = "Price_ShortCurrency_Is400")]
    [TestCase("prices?coins=bitcoin,b%40d&currencies=usd", "coins[1]", TestName = "Prices_BadCoinInList_Is400")]
    [TestCase("prices?coins=bitcoin&currencies=usd,xyz", "currencies[1]", TestName = "Prices_UnsupportedCurrencyInList_Is400")]
    [TestCase("prices?currencies=usd", "coins", TestName = "Prices_NoCoins_Is400")]
    [TestCase("price?coin=&currency=usd", "coin", TestName = "Price_EmptyCoin_Is400")]
    [TestCase("price?coin=bitcoin&coin=ethereum&currency=usd", "coin", TestName = "Price_RepeatedCoin_Is400")]
    [TestCase("prices?coins=bitcoin,,ethereum&currencies=usd", "coins[1]", TestName = "Prices_EmptyItem_Is400")]
    public async Task BadInput_IsProblem400NamingTheFieldWithoutProviderCall(string url, string field)
    {
        await _api.GetJsonAsync("currencies"); // the supported list is cached once; a bad input must cost nothing more
        var before = _fake.TotalCalls;

        using var response = await _api.GetAsync(url);
        var problem = await Problem.AssertAsync(response, 400);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem["errors"]!.AsObject().Select(p => p.Key), Does.Contain(field), problem.ToJsonString());
            Assert.That(_fake.TotalCalls, Is.EqualTo(before), "no provider call for invalid input");
        }
    }

    [Test]
    public async Task Price_VeryLongCoin_Is400()
    {
        using var response = await _api.GetAsync("price?coin=" + new string('a', 101) + "&currency=usd");

        var problem = await Problem.AssertAsync(response, 400);
        Assert.That(problem["errors"]!["coin"], Is.Not.Null);
    }

    [Test]
    public async Task Price_HugeQueryString_IsClientErrorNot5xx()
    {
        using var response = await _api.GetAsync("price?coin=" + new string('a', 40_000) + "&currency=usd");

        Assert.That((int)response.StatusCode, Is.InRange(400, 499));
    }

    [Test]
    public async Task Prices_OverTheCoinLimit_Is400()
    {
        var coins = string.Join(',', Enumerable.Range(1, 101).Select(i => $"coin-{i}"));

        using var response = await _api.GetAsync($"prices?coins={coins}&currencies=usd");

        var problem = await Problem.AssertAsync(response, 400);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem["errors"]!["coins"], Is.Not.Null);
            Assert.That(_fake.PriceCalls, Is.Zero);
        }
    }

    [Test]
    public async Task Price_UnknownCoin_Is404AndRememberedWithoutAnotherProviderCall()
    {
        using var first = await _api.GetAsync("price?coin=no-such-coin-xyz&currency=usd");
        using var second = await _api.GetAsync("price?coin=no-such-coin-xyz&currency=usd");

        await Problem.AssertAsync(first, 404);
        await Problem.AssertAsync(second, 404);
        Assert.That(_fake.PriceCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task UnknownRoute_IsProblem404()
    {
        using var response = await _api.GetAsync("no/such/route");

        await Problem.AssertAsync(response, 404);
    }

    [Test]
    public async Task WrongMethod_IsProblem405()
    {
        using var response = await _api.Http.PostAsync(new Uri("price?coin=bitcoin", UriKind.Relative), null);

        await Problem.AssertAsync(response, 405);
    }

    [Test]
    public async Task Currencies_AskedTwice_CallsProviderAtMostOnce()
    {
        var first = await _api.GetJsonAsync("currencies");
        var second = await _api.GetJsonAsync("currencies");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["currencies"]!.AsArray().Select(c => (string?)c), Does.Contain("usd").And.Contain("sats"));
            Assert.That(second.ToJsonString(), Is.EqualTo(first.ToJsonString()));
            Assert.That(_fake.CurrencyCalls, Is.LessThanOrEqualTo(1));
        }
    }

    [Test]
    public async Task Prices_Batch_ReturnsPricesAndMissingWithOneProviderCallForTheMisses()
    {
        await _api.GetJsonAsync("price?coin=cardano&currency=usd"); // one pair already cached
        _fake.Reset();

        var batch = await _api.GetJsonAsync("prices?coins=cardano,dogecoin,ripple,not-a-coin-abc&currencies=usd,eur");

        var prices = batch["prices"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var missing = batch["missing"]!.AsArray().Select(p => ((string?)p!["coin"], (string?)p["currency"], (string?)p["reason"])).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prices, Has.Count.EqualTo(6));
            Assert.That(prices.Single(p => (string?)p["coin"] == "cardano" && (string?)p["currency"] == "usd")["cached"]!.GetValue<bool>(), Is.True);
            Assert.That(prices.All(p => (decimal)p["price"]! == _fake.PriceOf((string)p["coin"]!, (string)p["currency"]!)), Is.True);
            Assert.That(missing, Is.EquivalentTo(new[] { ("not-a-coin-abc", "usd", "unknown"), ("not-a-coin-abc", "eur", "unknown") }));
            Assert.That(_fake.PriceCalls, Is.EqualTo(1), "the misses share one provider call");
            Assert.That(_fake.PriceRequests.Single(), Does.Not.Contain("cardano").Or.Length.EqualTo(4));
        }
    }

    [Test]
    public async Task Prices_RepeatedParameters_AreAcceptedLikeCommas()
    {
        var batch = await _api.GetJsonAsync("prices?coins=bitcoin&coins=ethereum&currencies=usd");

        Assert.That(batch["prices"]!.AsArray().Select(p => (string?)p!["coin"]), Is.EquivalentTo(new[] { "bitcoin", "ethereum" }));
    }

    [Test]
    public async Task OpenApi_Document_DeclaresOperationsAndStatuses()
    {
        var document = await _api.GetJsonAsync("swagger/v1/swagger.json");
        using var ui = await _api.GetAsync("swagger/index.html");

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Path: path.Key, Op: op.Value!.AsObject())))
            .ToDictionary(x => (string)x.Op["operationId"]!, x => x);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(operations.Keys, Is.SupersetOf(new[] { "GetPrice", "GetPrices", "GetCurrencies", "GetHealth" }));
            Assert.That(operations["GetPrice"].Path, Is.EqualTo("/price"));
            Assert.That(operations["GetPrice"].Op["responses"]!.AsObject().Select(r => r.Key), Is.SupersetOf(new[] { "200", "400", "404", "503" }));
            Assert.That(operations["GetPrices"].Op["responses"]!.AsObject().Select(r => r.Key), Is.SupersetOf(new[] { "200", "400", "503" }));
            Assert.That((string?)operations["GetPrice"].Op["summary"], Is.Not.Empty, "XML summaries are published");
            Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }
}
