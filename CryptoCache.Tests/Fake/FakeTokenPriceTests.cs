using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Fake;

/// <summary><c>/simple/token_price/{platform}</c> and <c>/coins/list</c> of the fake.</summary>
public sealed class FakeTokenPriceTests
{
    private const string Wbtc = "0x2260fac5e5542a773aa44fbcfedf7c193bc2c599";
    private const string LoadTestToken = "0x00000000000000000000000000000000abcd0000";

    private FakeCoinGeckoServer _fake = null!;
    private FakeHttp _http = null!;

    [OneTimeSetUp]
    public async Task StartFake()
    {
        _fake = await FakeCoinGeckoServer.StartAsync();
        _http = new FakeHttp(_fake);
    }

    [OneTimeTearDown]
    public async Task StopFake()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Test]
    public async Task TokenPrice_AddressInAnyCase_AnswersKeyedByLowerCaseAddress()
    {
        var body = await _http.GetOkAsync("simple/token_price/ethereum?contract_addresses=0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599&vs_currencies=usd");

        Assert.That(JsonNode.DeepEquals(body, new JsonObject { [Wbtc] = new JsonObject { ["usd"] = _fake.PriceOf("wrapped-bitcoin", "usd") } }), Is.True, body.ToJsonString());
    }

    [TestCase("include_market_cap=true&include_24hr_vol=true&include_24hr_change=true&include_last_updated_at=true&precision=2")]
    [TestCase("include_market_cap=true&precision=0")]
    [TestCase("include_24hr_change=true&precision=full")]
    public async Task TokenPrice_IncludeFlagsAndPrecision_AnswerAsSimplePriceForTheCoin(string options)
    {
        var token = await _http.GetOkAsync($"simple/token_price/ethereum?contract_addresses={Wbtc}&vs_currencies=usd,eur&{options}");
        var coin = await _http.GetOkAsync($"simple/price?ids=wrapped-bitcoin&vs_currencies=usd,eur&{options}");

        Assert.That(JsonNode.DeepEquals(token[Wbtc], coin["wrapped-bitcoin"]), Is.True, token.ToJsonString());
    }

    [Test]
    public async Task TokenPrice_SeveralAddresses_AnswersKnownOnesOnly()
    {
        const string notEndingInZeros = "0x00000000000000000000000000000000abcd0001";
        var body = await _http.GetOkAsync(
            $"simple/token_price/ethereum?contract_addresses={Wbtc}%2C{LoadTestToken.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)},{notEndingInZeros},0xnothex0000,0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d&vs_currencies=usd");

        Assert.That(body.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { Wbtc, LoadTestToken }), "a BNB Smart Chain address is unknown on ethereum");
    }

    [Test]
    public async Task TokenPrice_LoadTestToken_IsDeterministic()
    {
        var path = $"simple/token_price/binance-smart-chain?contract_addresses={LoadTestToken}&vs_currencies=usd&include_market_cap=true&include_last_updated_at=true";

        var first = await _http.GetOkAsync(path);
        var second = await _http.GetOkAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(first, second), Is.True);
            Assert.That((decimal)first[LoadTestToken]!["usd"]!, Is.Positive);
            Assert.That(FakeCoinGeckoServer.IsKnownToken("binance-smart-chain", LoadTestToken.ToUpperInvariant()), Is.True);
            Assert.That(FakeCoinGeckoServer.IsKnownToken("solana", LoadTestToken), Is.False);
        });
    }

    [Test]
    public async Task TokenPrice_BinanceSmartChain_KnowsItsTokens()
    {
        var body = await _http.GetOkAsync("simple/token_price/binance-smart-chain?contract_addresses=0x8AC76A51CC950D9822D68B83FE1AD97B32CD580D&vs_currencies=usd");

        Assert.That((decimal)body["0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d"]!["usd"]!, Is.EqualTo(_fake.PriceOf("binance-bridged-usdc-bnb-smart-chain", "usd")));
    }

    [Test]
    public async Task TokenPrice_UnknownPlatform_Answers404AssetPlatformNotFound()
    {
        var (status, body) = await _http.GetAsync($"simple/token_price/not-a-chain?contract_addresses={Wbtc}&vs_currencies=usd");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(JsonNode.DeepEquals(body, JsonNode.Parse("""{"error":"asset platform not found"}""")), Is.True, body?.ToJsonString());
        });
    }

    [TestCase("contract_addresses=" + Wbtc, "Missing parameter vs_currencies")]
    [TestCase("vs_currencies=usd", "Missing parameter contract_addresses")]
    public async Task TokenPrice_MissingParameter_Answers400NamingIt(string query, string error)
    {
        var (status, body) = await _http.GetAsync("simple/token_price/ethereum?" + query);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)body?["error"], Is.EqualTo(error));
        });
    }

    [TestCase("coins/list")]
    [TestCase("coins/list?include_platform=false")]
    public async Task CoinsList_WithoutPlatforms_AnswersTheFixtureThenTheExtras(string path)
    {
        var body = (await _http.GetOkAsync(path)).AsArray();

        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Shared, "coingecko", "coins-list.json")))!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(new JsonArray(body.Take(fixture.Count).Select(c => c!.DeepClone()).ToArray()), fixture), Is.True, body.ToJsonString());
            Assert.That(body.Select(c => (string)c!["id"]!), Is.EqualTo(FakeCoinGeckoServer.ListedCoins.Select(c => c.Id)));
            Assert.That(body.Select(c => c!.AsObject().Count), Is.All.EqualTo(3), "id, symbol and name only");
            Assert.That(body.Count(c => (string?)c!["symbol"] == "usdc"), Is.EqualTo(2), "symbols are not unique");
        });
    }

    [Test]
    public async Task CoinsList_IncludePlatform_AddsPlatformsToEveryCoin()
    {
        var body = (await _http.GetOkAsync("coins/list?include_platform=true")).AsArray();

        var byId = body.ToDictionary(c => (string)c!["id"]!, c => c!["platforms"]);
        Assert.Multiple(() =>
        {
            Assert.That(byId.Values, Is.All.Not.Null, "every coin has platforms, native coins an empty map");
            Assert.That(byId["bitcoin"]!.AsObject(), Is.Empty);
            Assert.That(JsonNode.DeepEquals(byId["wrapped-bitcoin"], new JsonObject { ["ethereum"] = Wbtc }), Is.True);
            Assert.That(byId["tether"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "ethereum", "binance-smart-chain" }));
            Assert.That(byId.Values.SelectMany(p => p!.AsObject().Select(a => a.Key)).Distinct(), Is.SubsetOf(FakeCoinGeckoServer.KnownPlatforms));
        });
    }
}
