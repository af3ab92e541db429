using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Fake;

/// <summary><c>/simple/price</c> of the fake as CoinGecko documents it (shared/coingecko/README.md).</summary>
public sealed class FakeSimplePriceTests
{
    private const string AllFlags = "include_market_cap=true&include_24hr_vol=true&include_24hr_change=true&include_last_updated_at=true";

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
    public async Task Get_NoIncludeFlags_AnswersPricesOnly()
    {
        var body = await _http.GetOkAsync("simple/price?ids=bitcoin&vs_currencies=usd");

        Assert.That(JsonNode.DeepEquals(body, JsonNode.Parse("""{"bitcoin":{"usd":67187.3358936566}}""")), Is.True, body.ToJsonString());
    }

    [Test]
    public async Task Get_AllIncludeFlagsOnFixtureCoins_AnswersTheSharedFixture()
    {
        var body = await _http.GetOkAsync("simple/price?ids=bitcoin,ethereum&vs_currencies=usd,eur&" + AllFlags);

        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Shared, "coingecko", "simple-price.json")));
        Assert.That(JsonNode.DeepEquals(body, fixture), Is.True, body.ToJsonString());
    }

    [TestCase("include_market_cap", "usd_market_cap")]
    [TestCase("include_24hr_vol", "usd_24h_vol")]
    [TestCase("include_24hr_change", "usd_24h_change")]
    [TestCase("include_last_updated_at", "last_updated_at")]
    public async Task Get_OneIncludeFlag_AddsOnlyItsField(string flag, string field)
    {
        var body = await _http.GetOkAsync($"simple/price?ids=cardano&vs_currencies=usd&{flag}=true");

        var keys = body["cardano"]!.AsObject().Select(p => p.Key);
        Assert.That(keys, Is.EqualTo(new[] { "usd", field }));
    }

    [Test]
    public async Task Get_IncludeFlagsFalse_AddsNothing()
    {
        var body = await _http.GetOkAsync("simple/price?ids=cardano&vs_currencies=usd&" + AllFlags.Replace("true", "false", StringComparison.Ordinal));

        Assert.That(body["cardano"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "usd" }));
    }

    [Test]
    public async Task Get_DerivedCoin_AnswersTheDocumentedDeterministicNumbers()
    {
        var first = await _http.GetOkAsync("simple/price?ids=coin-42,solana&vs_currencies=gbp&" + AllFlags);
        var second = await _http.GetOkAsync("simple/price?ids=coin-42,solana&vs_currencies=gbp&" + AllFlags);

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(first, second), Is.True, "the same every time");
            Assert.That((decimal)first["solana"]!["gbp"]!, Is.EqualTo(_fake.PriceOf("solana", "gbp")));
            Assert.That((decimal)first["solana"]!["gbp_market_cap"]!, Is.EqualTo(_fake.MarketCapOf("solana", "gbp")));
            Assert.That((decimal)first["solana"]!["gbp_24h_vol"]!, Is.EqualTo(_fake.Volume24hOf("solana", "gbp")));
            Assert.That((decimal?)first["solana"]!["gbp_24h_change"], Is.Not.Null.And.EqualTo(FakeCoinGeckoServer.Change24hOf("solana", "gbp")));
            Assert.That((long)first["solana"]!["last_updated_at"]!, Is.EqualTo(FakeCoinGeckoServer.DefaultLastUpdatedAt));
            Assert.That((decimal)first["coin-42"]!["gbp_market_cap"]!, Is.GreaterThan((decimal)first["coin-42"]!["gbp_24h_vol"]!));
        });
    }

    [Test]
    public async Task Get_FixtureSaysChangeIsNull_AnswersNull()
    {
        var body = await _http.GetOkAsync("simple/price?ids=ethereum&vs_currencies=usd&include_24hr_change=true");

        Assert.That(body["ethereum"]!.AsObject().TryGetPropertyValue("usd_24h_change", out var change) && change is null, Is.True, body.ToJsonString());
    }

    [Test]
    public async Task Get_ListedCoins_NeverAnswerNullChangeOutsideTheFixture()
    {
        var ids = string.Join(',', FakeCoinGeckoServer.ListedCoins.Select(c => c.Id));
        var body = await _http.GetOkAsync($"simple/price?ids={ids}&vs_currencies=usd,eur,jpy,gbp,btc&include_24hr_change=true");

        var nulls = body.AsObject()
            .SelectMany(coin => coin.Value!.AsObject().Where(f => f.Value is null).Select(f => coin.Key + "." + f.Key))
            .ToArray();
        Assert.That(nulls, Is.EqualTo(new[] { "ethereum.usd_24h_change" }));
    }

    [Test]
    public async Task Get_PriceVersionBumped_MovesMarketCapAndVolumeWithThePrice()
    {
        try
        {
            _fake.PriceVersion = 1000;
            var body = await _http.GetOkAsync("simple/price?ids=bitcoin&vs_currencies=usd&include_market_cap=true&include_24hr_vol=true");

            Assert.Multiple(() =>
            {
                Assert.That((decimal)body["bitcoin"]!["usd"]!, Is.EqualTo(67187.3358936566m + 1000));
                Assert.That((decimal)body["bitcoin"]!["usd_market_cap"]!, Is.GreaterThan(1317802988326.25m));
                Assert.That((decimal)body["bitcoin"]!["usd_market_cap"]!, Is.EqualTo(_fake.MarketCapOf("bitcoin", "usd")));
                Assert.That((decimal)body["bitcoin"]!["usd_24h_vol"]!, Is.GreaterThan(31260929299.5248m));
            });
        }
        finally
        {
            _fake.PriceVersion = 0;
        }
    }

    [TestCase("0", "67187", "1317802988326", "31260929300", "4")]
    [TestCase("1", "67187.3", "1317802988326.3", "31260929299.5", "3.6")] // market cap 1317802988326.25: midpoint, away from zero
    [TestCase("2", "67187.34", "1317802988326.25", "31260929299.52", "3.64")]
    [TestCase("8", "67187.33589366", "1317802988326.25", "31260929299.5248", "3.63727895")]
    [TestCase("full", "67187.3358936566", "1317802988326.25", "31260929299.5248", "3.63727894677354")]
    [TestCase("", "67187.3358936566", "1317802988326.25", "31260929299.5248", "3.63727894677354")]
    public async Task Get_Precision_RoundsPriceAndExtrasAwayFromZero(string precision, decimal price, decimal marketCap, decimal volume, decimal change)
    {
        var body = await _http.GetOkAsync($"simple/price?ids=bitcoin&vs_currencies=usd&precision={precision}&" + AllFlags);

        var bitcoin = body["bitcoin"]!;
        Assert.Multiple(() =>
        {
            Assert.That((decimal)bitcoin["usd"]!, Is.EqualTo(price));
            Assert.That((decimal)bitcoin["usd_market_cap"]!, Is.EqualTo(marketCap));
            Assert.That((decimal)bitcoin["usd_24h_vol"]!, Is.EqualTo(volume));
            Assert.That((decimal)bitcoin["usd_24h_change"]!, Is.EqualTo(change));
            Assert.That((long)bitcoin["last_updated_at"]!, Is.EqualTo(1711356300), "a timestamp is not rounded");
        });
    }

    [Test]
    public async Task Get_PrecisionZeroOnNegativeChange_RoundsAwayFromZero()
    {
        var (coin, currency) = (from i in Enumerable.Range(1, 500)
                                let id = "coin-" + i
                                let change = FakeCoinGeckoServer.Change24hOf(id, "usd")
                                where change < -1
                                select (id, "usd")).First();
        var body = await _http.GetOkAsync($"simple/price?ids={coin}&vs_currencies={currency}&include_24hr_change=true&precision=0");

        var expected = decimal.Round(FakeCoinGeckoServer.Change24hOf(coin, currency)!.Value, 0, MidpointRounding.AwayFromZero);
        Assert.That((decimal)body[coin]![currency + "_24h_change"]!, Is.EqualTo(expected).And.LessThan(0));
    }

    [TestCase("19")]
    [TestCase("-1")]
    [TestCase("two")]
    public async Task Get_PrecisionOutOfRange_Answers400WithError(string precision)
    {
        var (status, body) = await _http.GetAsync($"simple/price?ids=bitcoin&vs_currencies=usd&precision={precision}");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)body?["error"], Does.Contain("precision"));
        });
    }

    [TestCase("simple/price?ids=bitcoin")]
    [TestCase("simple/price?ids=bitcoin&vs_currencies=")]
    [TestCase("simple/price?symbols=btc&vs_currencies=%20,%20")]
    public async Task Get_MissingVsCurrencies_Answers400LikeCoinGecko(string path)
    {
        var (status, body) = await _http.GetAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(JsonNode.DeepEquals(body, JsonNode.Parse("""{"error":"Missing parameter vs_currencies"}""")), Is.True, body?.ToJsonString());
        });
    }

    [Test]
    public async Task Get_PercentEncodedCommasAndSpaces_SplitsAndTrims()
    {
        var body = await _http.GetOkAsync("simple/price?ids=%20bitcoin%2C%20%20ethereum%20,,coin-7%20&vs_currencies=usd%2C%20EUR");

        Assert.Multiple(() =>
        {
            Assert.That(body.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "bitcoin", "ethereum", "coin-7" }));
            Assert.That(body["ethereum"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "usd", "eur" }));
        });
    }

    [Test]
    public async Task Get_UnknownIdsAndCurrencies_AreAbsent()
    {
        var body = await _http.GetOkAsync("simple/price?ids=bitcoin,not-a-coin&vs_currencies=zzz");

        Assert.That(JsonNode.DeepEquals(body, JsonNode.Parse("""{"bitcoin":{}}""")), Is.True, body.ToJsonString());
    }

    [Test]
    public async Task Get_Names_ResolvesCaseInsensitivelyWithSpaces()
    {
        var body = await _http.GetOkAsync("simple/price?names=bitcoin,Wrapped%20%20Bitcoin,Nothing&vs_currencies=usd");

        Assert.Multiple(() =>
        {
            Assert.That(body.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "bitcoin", "wrapped-bitcoin" }));
            Assert.That((decimal)body["wrapped-bitcoin"]!["usd"]!, Is.EqualTo(_fake.PriceOf("wrapped-bitcoin", "usd")));
        });
    }

    [TestCase("ids=cardano&names=Bitcoin&symbols=eth", "cardano")]
    [TestCase("names=Bitcoin&symbols=eth", "bitcoin")]
    [TestCase("symbols=eth", "ethereum")]
    [TestCase("ids=&names=%20&symbols=ETH", "ethereum")]
    public async Task Get_SeveralSelectors_IdsWinThenNamesThenSymbols(string selectors, string expected)
    {
        var body = await _http.GetOkAsync($"simple/price?{selectors}&vs_currencies=usd");

        Assert.That(body.AsObject().Select(p => p.Key), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public async Task Get_SharedSymbolWithoutIncludeTokens_AnswersTheHighestMarketCap()
    {
        var shared = FakeCoinGeckoServer.ListedCoins.Where(c => c.Symbol == "usdc").Select(c => c.Id).ToArray();
        var top = shared.MaxBy(id => _fake.MarketCapOf(id, "usd"));

        var body = await _http.GetOkAsync("simple/price?symbols=usdc,btc&vs_currencies=usd");
        var explicitTop = await _http.GetOkAsync("simple/price?symbols=usdc,btc&include_tokens=top&vs_currencies=usd");

        Assert.Multiple(() =>
        {
            Assert.That(shared, Has.Length.EqualTo(2), "the fake's data shares one symbol between two coins");
            Assert.That(_fake.MarketCapOf(shared[0], "usd"), Is.Not.EqualTo(_fake.MarketCapOf(shared[1], "usd")));
            Assert.That(top, Is.EqualTo("usd-coin"));
            Assert.That(body.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "usd-coin", "bitcoin" }));
            Assert.That(JsonNode.DeepEquals(body, explicitTop), Is.True);
        });
    }

    [Test]
    public async Task Get_SharedSymbolWithIncludeTokensAll_AnswersEveryCoinWithIt()
    {
        var body = await _http.GetOkAsync("simple/price?symbols=USDC&include_tokens=all&vs_currencies=usd");

        Assert.That(body.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "usd-coin", "binance-bridged-usdc-bnb-smart-chain" }));
    }

    [Test]
    public async Task Get_MoreThan50SymbolsWithAll_Answers400()
    {
        var symbols = string.Join(',', Enumerable.Range(1, 51).Select(i => "s" + i));

        var (all, body) = await _http.GetAsync($"simple/price?symbols={symbols}&include_tokens=all&vs_currencies=usd");
        var (top, _) = await _http.GetAsync($"simple/price?symbols={symbols}&vs_currencies=usd");
        var (fifty, _) = await _http.GetAsync($"simple/price?symbols={string.Join(',', Enumerable.Range(1, 50).Select(i => "s" + i))}&include_tokens=all&vs_currencies=usd");

        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)body?["error"], Does.Contain("50"));
            Assert.That(top, Is.EqualTo(HttpStatusCode.OK), "the cap is for include_tokens=all");
            Assert.That(fifty, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
