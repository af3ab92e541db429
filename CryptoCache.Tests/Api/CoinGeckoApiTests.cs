using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Api;

/// <summary>
/// The CoinGecko-compatible <c>/api/v3</c> against the real API, a real Redis and the fake provider. The fake gives no
/// market caps or volumes yet (another branch extends it), so those fields are asserted present, with the fake's null.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CoinGeckoApiTests
{
    private const string Tether = "0xdac17f958d2ee523a2206206994597c13d831ec7";

    private TestStack _stack = null!;
    private ApiProcess _api = null!;

    private FakeCoinGeckoServer _fake => _stack.Fake;

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
    public async Task Ping_Always_AnswersToTheMoonWithoutProviderCall()
    {
        var body = await GetTextAsync("api/v3/ping");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body, Is.EqualTo("""{"gecko_says":"(V3) To the Moon!"}"""));
            Assert.That(_fake.TotalCalls, Is.Zero);
        }
    }

    [Test]
    public async Task SimplePrice_AllIncludeFlags_AnswersCoinGeckoShapeInFieldOrder()
    {
        var body = await GetTextAsync("api/v3/simple/price?ids=bitcoin%2Cethereum&vs_currencies=usd,eur&include_market_cap=true&include_24hr_vol=true&include_24hr_change=true&include_last_updated_at=true");
        var map = JsonNode.Parse(body)!.AsObject();
        var bitcoin = map["bitcoin"]!.AsObject();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.Select(p => p.Key), Is.EqualTo(new[] { "bitcoin", "ethereum" }));
            Assert.That(bitcoin.Select(p => p.Key), Is.EqualTo(new[]
            {
                "usd", "usd_market_cap", "usd_24h_vol", "usd_24h_change", "eur", "eur_market_cap", "eur_24h_vol", "eur_24h_change", "last_updated_at",
            }));
            Assert.That(bitcoin["usd"]!.ToJsonString(), Is.EqualTo("67187.3358936566"), "the provider's digits, no float noise");
            Assert.That(bitcoin["last_updated_at"]!.ToJsonString(), Is.EqualTo("1711356300"));
            Assert.That(bitcoin["usd_24h_change"]!.ToJsonString(), Is.EqualTo("3.63727894677354"));
            Assert.That(map["ethereum"]!["usd_24h_change"], Is.Null, "CoinGecko may send null, and null is passed on");
            Assert.That(body, Does.Not.Contain("E+").And.Not.Contain("e-"), "no exponent");
        }
    }

    [Test]
    public async Task SimplePrice_NoFlags_AnswersPricesOnly()
    {
        var map = await _api.GetJsonAsync("api/v3/simple/price?ids=bitcoin&vs_currencies=usd");

        Assert.That(map.ToJsonString(), Is.EqualTo("""{"bitcoin":{"usd":67187.3358936566}}"""));
    }

    [TestCase("2", "67187.34")]
    [TestCase("0", "67187")]
    [TestCase("18", "67187.3358936566")]
    [TestCase("full", "67187.3358936566")]
    public async Task SimplePrice_Precision_RoundsHalfAwayFromZero(string precision, string expected)
    {
        var map = await _api.GetJsonAsync($"api/v3/simple/price?ids=bitcoin&vs_currencies=usd&precision={precision}");

        Assert.That(map["bitcoin"]!["usd"]!.ToJsonString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task SimplePrice_SecondClientWithOtherFlags_CostsNoProviderCall()
    {
        await _api.GetJsonAsync("api/v3/simple/price?ids=coin-101&vs_currencies=usd");
        var second = await _api.GetJsonAsync("api/v3/simple/price?ids=coin-101&vs_currencies=usd&include_market_cap=true&include_24hr_change=true&include_last_updated_at=true&precision=3");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fake.PriceCalls, Is.EqualTo(1));
            Assert.That(second["coin-101"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "usd", "usd_market_cap", "usd_24h_change", "last_updated_at" }));
            Assert.That(second["coin-101"]!["usd"]!.GetValue<decimal>(), Is.EqualTo(decimal.Round(_fake.PriceOf("coin-101", "usd"), 3, MidpointRounding.AwayFromZero)));
        }
    }

    [Test]
    public async Task SimplePrice_UnknownIds_AreAbsentWith200()
    {
        var some = await _api.GetJsonAsync("api/v3/simple/price?ids=coin-102,no-such-coin&vs_currencies=usd");
        var none = await _api.GetJsonAsync("api/v3/simple/price?ids=no-such-coin-either&vs_currencies=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(some.Select(p => p.Key), Is.EqualTo(new[] { "coin-102" }));
            Assert.That(none.ToJsonString(), Is.EqualTo("{}"));
        }
    }

    [Test]
    public async Task SimplePrice_UnsupportedCurrency_IsAbsentWithoutProviderCallForIt()
    {
        (await _api.GetAsync("api/v3/simple/supported_vs_currencies")).Dispose();
        _fake.Reset();

        var none = await _api.GetJsonAsync("api/v3/simple/price?ids=bitcoin&vs_currencies=xyz");
        var mixed = await _api.GetJsonAsync("api/v3/simple/price?ids=bitcoin&vs_currencies=usd,xyz");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(none.ToJsonString(), Is.EqualTo("{}"));
            Assert.That(mixed["bitcoin"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "usd" }));
            Assert.That(_fake.PriceCalls, Is.Zero, "bitcoin/usd was cached; xyz is never asked for");
        }
    }

    [Test]
    public async Task SimplePrice_IdsAndNames_IdsWin()
    {
        var map = await _api.GetJsonAsync("api/v3/simple/price?ids=solana&names=Bitcoin&symbols=eth&vs_currencies=usd");

        Assert.That(map.Select(p => p.Key), Is.EqualTo(new[] { "solana" }));
    }

    [Test]
    public async Task SimplePrice_NamesAndSymbols_NamesWinAndResolveThroughCoinList()
    {
        var byName = await _api.GetJsonAsync("api/v3/simple/price?names=Bitcoin,Wrapped%20Bitcoin&symbols=eth&vs_currencies=usd");
        var bySymbol = await _api.GetJsonAsync("api/v3/simple/price?symbols=ETH,doge&vs_currencies=usd");
        var allTokens = await _api.GetJsonAsync("api/v3/simple/price?symbols=btc&include_tokens=all&vs_currencies=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byName.Select(p => p.Key), Is.EqualTo(new[] { "bitcoin", "wrapped-bitcoin" }));
            Assert.That(bySymbol.Select(p => p.Key), Is.EqualTo(new[] { "ethereum", "dogecoin" }));
            Assert.That(allTokens.Select(p => p.Key), Is.EqualTo(new[] { "bitcoin" }));
        }
    }

    [Test]
    public async Task SimplePrice_ClientKeyHeaderAndParameter_AcceptedAndNeverLogged()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v3/simple/price?ids=bitcoin&vs_currencies=usd&x_cg_pro_api_key=CG-secret-param-4711");
        request.Headers.Add("x-cg-demo-api-key", "CG-secret-header-0815");
        using var response = await _api.Http.SendAsync(request);

        await Task.Delay(200); // let the process flush its log lines
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_api.Output, Does.Not.Contain("CG-secret-param-4711").And.Not.Contain("CG-secret-header-0815"));
        }
    }

    [Test]
    public async Task SimplePrice_MissThenHit_CacheStatusAndAgeSaySo()
    {
        using var first = await _api.GetAsync("api/v3/simple/price?ids=coin-103&vs_currencies=usd");
        using var second = await _api.GetAsync("api/v3/simple/price?ids=coin-103&vs_currencies=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Headers.GetValues("Cache-Status").Single(), Is.EqualTo("CryptoCache; fwd=miss"));
            Assert.That(second.Headers.GetValues("Cache-Status").Single(), Is.EqualTo("CryptoCache; hit"));
            Assert.That(first.Headers.Age, Is.Not.Null.And.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(second.Headers.Age, Is.Not.Null);
        }
    }

    [Test]
    public async Task SupportedVsCurrencies_Always_AnswersTheArray()
    {
        var body = JsonNode.Parse(await GetTextAsync("api/v3/simple/supported_vs_currencies"))!.AsArray();

        Assert.That(body.Select(c => c!.GetValue<string>()), Does.Contain("usd").And.Contain("eur"));
    }

    [Test]
    public async Task TokenPrice_KnownAndUnknownAddresses_KnownOnlyKeyedLowerCaseAndCached()
    {
        var unknown = "0x" + new string('1', 40);
        var first = await _api.GetJsonAsync($"api/v3/simple/token_price/ethereum?contract_addresses={Tether.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)},{unknown}&vs_currencies=usd");
        var second = await _api.GetJsonAsync($"api/v3/simple/token_price/ethereum?contract_addresses={Tether}&vs_currencies=usd&include_last_updated_at=true&precision=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Select(p => p.Key), Is.EqualTo(new[] { Tether }));
            Assert.That(first[Tether]!["usd"]!.GetValue<decimal>(), Is.EqualTo(_fake.PriceOf("tether", "usd")));
            Assert.That(second[Tether]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "usd", "last_updated_at" }));
            Assert.That(_fake.TokenPriceCalls, Is.EqualTo(1), "the second view comes from the cache");
        }
    }

    [Test]
    public async Task TokenPrice_UnknownPlatform_Is404InCoinGeckoShape()
    {
        using var response = await _api.GetAsync($"api/v3/simple/token_price/no-such-chain?contract_addresses={Tether}&vs_currencies=usd");
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body, Is.EqualTo("""{"error":"asset platform not found"}"""));
            Assert.That(_fake.TokenPriceCalls, Is.Zero);
        }
    }

    [TestCase("simple/price?ids=bitcoin&ids=ethereum&vs_currencies=usd", "ids", TestName = "SimplePrice_RepeatedIds_Is400")]
    [TestCase("simple/price?ids=&vs_currencies=usd", "ids", TestName = "SimplePrice_EmptyIds_Is400")]
    [TestCase("simple/price?ids=,,&vs_currencies=usd", "ids", TestName = "SimplePrice_OnlyCommas_Is400")]
    [TestCase("simple/price?ids=bitcoin", "vs_currencies", TestName = "SimplePrice_MissingVsCurrencies_Is400")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=", "vs_currencies", TestName = "SimplePrice_EmptyVsCurrencies_Is400")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=usd1", "vs_currencies", TestName = "SimplePrice_MalformedCurrency_Is400")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=usd&include_market_cap=maybe", "include_market_cap", TestName = "SimplePrice_FlagMaybe_Is400")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=usd&precision=19", "precision", TestName = "SimplePrice_Precision19_Is400")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=usd&precision=-1", "precision", TestName = "SimplePrice_PrecisionMinus1_Is400")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=usd&precision=abc", "precision", TestName = "SimplePrice_PrecisionAbc_Is400")]
    [TestCase("simple/price?ids=bit%00coin&vs_currencies=usd", "ids", TestName = "SimplePrice_NulInId_Is400")]
    [TestCase("simple/price?names=Bit%00coin&vs_currencies=usd", "names", TestName = "SimplePrice_NulInName_Is400")]
    [TestCase("simple/price?names=Bitc%C3%B6in&vs_currencies=usd", "names", TestName = "SimplePrice_NonAsciiName_Is400")]
    [TestCase("simple/price?symbols=btc&include_tokens=some&vs_currencies=usd", "include_tokens", TestName = "SimplePrice_BadIncludeTokens_Is400")]
    [TestCase("simple/token_price/ethereum?contract_addresses=0x123&vs_currencies=usd", "contract_addresses", TestName = "TokenPrice_MalformedAddress_Is400")]
    [TestCase("simple/token_price/ethereum?vs_currencies=usd", "contract_addresses", TestName = "TokenPrice_MissingAddresses_Is400")]
    [TestCase("simple/token_price/eth%20ereum?contract_addresses=0xdac17f958d2ee523a2206206994597c13d831ec7&vs_currencies=usd", "platform", TestName = "TokenPrice_SpaceInPlatform_Is400")]
    [TestCase("coins/list?include_platform=maybe", "include_platform", TestName = "CoinsList_FlagMaybe_Is400")]
    public async Task BadInput_Is400InCoinGeckoShapeNamingTheParameterWithoutProviderCall(string url, string parameter)
    {
        (await _api.GetAsync("api/v3/coins/list")).Dispose(); // lists cached once; a bad input must cost nothing more
        (await _api.GetAsync("api/v3/simple/supported_vs_currencies")).Dispose();
        _fake.Reset();

        await AssertBadRequestAsync("api/v3/" + url, parameter);
    }

    [Test]
    public async Task SimplePrice_AllTokensWith51Symbols_Is400()
    {
        var symbols = string.Join(',', Enumerable.Range(0, 51).Select(i => $"s{i}"));

        await AssertBadRequestAsync($"api/v3/simple/price?symbols={symbols}&include_tokens=all&vs_currencies=usd", "symbols");
    }

    [Test]
    public async Task SimplePrice_MoreIdsThanTheLimit_Is400()
    {
        var ids = string.Join(',', Enumerable.Range(0, 516).Select(i => $"c{i}"));

        await AssertBadRequestAsync($"api/v3/simple/price?ids={ids}&vs_currencies=usd", "ids");
    }

    [Test]
    public async Task SimplePrice_TenThousandIds_RefusedWithoutProviderCallNever5xx()
    {
        // 10,000 ids make a URL longer than Kestrel's request line limit (8 KB): Kestrel answers 414 before any code of
        // ours runs, as CoinGecko does for long URLs. Within the limit the count rule answers 400 (test above).
        var ids = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"coin-{i}"));

        using var response = await _api.GetAsync($"api/v3/simple/price?ids={ids}&vs_currencies=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.AnyOf(400, 414));
            Assert.That(_fake.PriceCalls, Is.Zero);
        }
    }

    private async Task AssertBadRequestAsync(string url, string parameter)
    {
        using var response = await _api.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), body);
            Assert.That((string?)JsonNode.Parse(body)!["error"], Does.Contain(parameter), body);
            Assert.That(_fake.PriceCalls + _fake.TokenPriceCalls + _fake.CoinsListCalls + _fake.CurrencyCalls, Is.Zero, "no provider call");
        }
    }

    private async Task<string> GetTextAsync(string url)
    {
        using var response = await _api.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }
}
