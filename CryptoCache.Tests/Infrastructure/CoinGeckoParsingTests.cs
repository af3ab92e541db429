using System.Text.Json;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Domain;
using CryptoCache.Infrastructure.CoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Infrastructure;

/// <summary>CoinGecko's documented shapes, read from the copies in shared/coingecko.</summary>
public sealed class CoinGeckoParsingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly CoinId[] Coins = [CoinId.From("bitcoin"), CoinId.From("ethereum"), CoinId.From("dogecoin")];
    private static readonly Currency[] Currencies = [Currency.From("usd"), Currency.From("eur"), Currency.From("jpy")];

    private static string Fixture(string name)
    {
        var shared = Path.Combine(RepoPaths.Shared, "coingecko", name);
        return File.ReadAllText(File.Exists(shared) ? shared : Path.Combine(RepoPaths.Root, "CryptoCache.FakeCoinGecko", "Fixtures", name));
    }

    [Test]
    public void ReadPrices_SimplePriceFixture_KeepsFullPrecisionAndSkipsAbsentPairs()
    {
        using var document = JsonDocument.Parse(Fixture("simple-price.json"));

        var quotes = CoinGeckoClient.ReadPrices(document.RootElement, Coins, Currencies, Now);

        var bitcoin = quotes.Single(q => q.Pair == new PricePair(Coins[0], Currencies[0]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(quotes, Has.Count.EqualTo(4), "bitcoin and ethereum in usd and eur; no jpy, no dogecoin");
            Assert.That(bitcoin.Price, Is.EqualTo(67187.3358936566m));
            Assert.That(bitcoin.LastUpdatedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_711_356_300)));
            Assert.That(bitcoin.FetchedAt, Is.EqualTo(Now));
            Assert.That(bitcoin.Source, Is.EqualTo("coingecko"));
        }
    }

    [Test]
    public void ReadPrices_ExtraFields_AreReadPerCurrencyAndNullStaysNull()
    {
        using var document = JsonDocument.Parse("""
            {"bitcoin":{"usd":67187.3358936566,"usd_market_cap":1317802988326.25,"usd_24h_vol":31260929299.52,"usd_24h_change":3.64,
                        "eur":62000.5,"eur_market_cap":1200000000000,"eur_24h_vol":null,"eur_24h_change":null,"last_updated_at":1711356300}}
            """);

        var quotes = CoinGeckoClient.ReadPrices(document.RootElement, [Coins[0]], [Currencies[0], Currencies[1]], Now);

        var usd = quotes.Single(q => q.Pair.Currency == Currencies[0]);
        var eur = quotes.Single(q => q.Pair.Currency == Currencies[1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((usd.MarketCap, usd.Volume24h, usd.Change24h), Is.EqualTo(((decimal?)1317802988326.25m, (decimal?)31260929299.52m, (decimal?)3.64m)));
            Assert.That((eur.MarketCap, eur.Volume24h, eur.Change24h), Is.EqualTo(((decimal?)1200000000000m, (decimal?)null, (decimal?)null)));
        }
    }

    [Test]
    public void ReadPrices_ExtraFieldNotANumber_IsMalformed()
    {
        using var document = JsonDocument.Parse("""{"bitcoin":{"usd":1,"usd_market_cap":"lots"}}""");

        Assert.That(() => CoinGeckoClient.ReadPrices(document.RootElement, [Coins[0]], [Currencies[0]], Now),
            Throws.TypeOf<ProviderUnavailableException>().With.Property(nameof(ProviderUnavailableException.Failure)).EqualTo(ProviderFailure.MalformedResponse));
    }

    [Test]
    public void ReadPrices_UnknownCoinFixture_IsEmpty()
    {
        using var document = JsonDocument.Parse(Fixture("simple-price-unknown.json"));

        Assert.That(CoinGeckoClient.ReadPrices(document.RootElement, Coins, Currencies, Now), Is.Empty);
    }

    [TestCase("[]")]
    [TestCase("""{"bitcoin": 5}""")]
    [TestCase("""{"bitcoin": {"usd": "67000"}}""")]
    public void ReadPrices_UnexpectedShape_IsMalformed(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.That(() => CoinGeckoClient.ReadPrices(document.RootElement, Coins, Currencies, Now),
            Throws.TypeOf<ProviderUnavailableException>().With.Property(nameof(ProviderUnavailableException.Failure)).EqualTo(ProviderFailure.MalformedResponse));
    }

    [Test]
    public void ReadPrices_TinyPriceInExponentForm_IsRead()
    {
        using var document = JsonDocument.Parse("""{"bitcoin": {"usd": 1.5e-9}}""");

        Assert.That(CoinGeckoClient.ReadPrices(document.RootElement, Coins, Currencies, Now).Single().Price, Is.EqualTo(0.0000000015m));
    }

    [Test]
    public void ReadCurrencies_Fixture_ListsLowerCaseCodes()
    {
        using var document = JsonDocument.Parse(Fixture("supported-vs-currencies.json"));

        Assert.That(CoinGeckoClient.ReadCurrencies(document.RootElement), Does.Contain("usd").And.Contain("sats").And.Count.EqualTo(63));
    }

    [Test]
    public void FakeFixtures_AreTheSharedCopies()
    {
        var shared = Path.Combine(RepoPaths.Shared, "coingecko");
        if (!Directory.Exists(shared))
        {
            Assert.Ignore("../shared/coingecko is not beside this checkout.");
        }

        foreach (var file in Directory.GetFiles(shared, "*.json"))
        {
            Assert.That(File.ReadAllText(Path.Combine(RepoPaths.Root, "CryptoCache.FakeCoinGecko", "Fixtures", Path.GetFileName(file))), Is.EqualTo(File.ReadAllText(file)), file);
        }
    }
}
