using System.Globalization;
using CryptoCache.Application.CoinGecko;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;

namespace CryptoCache.Tests.Application;

public sealed class CoinGeckoRulesTests
{
    private static readonly Currency Usd = Currency.From("usd");
    private static readonly Currency Eur = Currency.From("eur");

    [TestCase("1.005", 2, "1.01")]
    [TestCase("-1.005", 2, "-1.01")]
    [TestCase("2.5", 0, "3")]
    [TestCase("1.50", null, "1.5")]
    public void Round_Precision_HalfAwayFromZeroWithoutTrailingZeros(string value, int? precision, string expected) =>
        Assert.That(CoinGeckoRules.Round(decimal.Parse(value, CultureInfo.InvariantCulture), precision)!.Value.ToString(CultureInfo.InvariantCulture), Is.EqualTo(expected));

    [TestCase("67187.3358936566")]
    [TestCase("67187.3358936560")]
    [TestCase("3459.62")]
    [TestCase("3459.620000")]
    [TestCase("100")]
    [TestCase("100.00")]
    [TestCase("0")]
    [TestCase("0.000")]
    [TestCase("-0.10")]
    [TestCase("0.0000000000000000000000000010")]
    [TestCase("79228162514264337593543950335")]
    [TestCase("7922816251426433759354395033.0")]
    [TestCase("1234567890123456789012345678.90")]
    public void Round_AnyValueAndPrecision_SameDigitsAndScaleAsDividingByOne(string text)
    {
        // The shortcut that skips the division must give the very decimal the division gives (digits and scale).
        var value = decimal.Parse(text, CultureInfo.InvariantCulture);
        foreach (var precision in new int?[] { null, 0, 2, 8, 18 })
        {
            var rounded = precision is { } places ? decimal.Round(value, places, MidpointRounding.AwayFromZero) : value;
            var expected = rounded / 1.0000000000000000000000000000m;

            var actual = CoinGeckoRules.Round(value, precision)!.Value;

            Assert.That(decimal.GetBits(actual), Is.EqualTo(decimal.GetBits(expected)), $"{text} at precision {precision?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        }
    }

    [TestCase("full", true)]
    [TestCase("0", true)]
    [TestCase("18", true)]
    [TestCase("19", false)]
    [TestCase("-1", false)]
    [TestCase("abc", false)]
    [TestCase("1a", false)]
    [TestCase("", false)]
    public void TryPrecision_Value_AcceptsFullAndZeroToEighteen(string value, bool valid) =>
        Assert.That(CoinGeckoRules.TryPrecision(value, out _), Is.EqualTo(valid));

    [TestCase(null)]
    [TestCase("")]
    [TestCase(",,")]
    [TestCase(" , ")]
    [TestCase("bitcoin")]
    [TestCase("bitcoin,")]
    [TestCase(",bitcoin")]
    [TestCase(" bitcoin , ethereum ,, usd-coin ")]
    [TestCase("bit coin,\tether\t")]
    public void CommaItems_AnyValue_SameItemsAsSplit(string? value)
    {
        var values = value is null ? null : new[] { value };
        var items = new List<string>();
        foreach (var item in new CommaItems(value))
        {
            items.Add(item.ToString());
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(items, Is.EqualTo(CoinGeckoRules.Items(values)));
            Assert.That(CoinGeckoRules.Count(values), Is.EqualTo(items.Count));
        }
    }

    [TestCase("bitcoin,ethereum", true)]
    [TestCase("bitcoin, Ethereum ", true)]
    [TestCase("bitcoin,eth ereum", false)]
    [TestCase("bitcoin,bit%coin", false)]
    public void All_CoinIds_TrueOnlyWhenEveryItemPasses(string value, bool expected) =>
        Assert.That(CoinGeckoRules.All([value], CoinId.IsValid), Is.EqualTo(expected));

    [TestCase("0xdac17f958d2ee523a2206206994597c13d831ec7", true)]
    [TestCase("0XDAC17F958D2EE523A2206206994597C13D831EC7", true)]
    [TestCase("0xdac17f958d2ee523a2206206994597c13d831ec", false)]
    [TestCase("0xdac17f958d2ee523a2206206994597c13d831ecg", false)]
    [TestCase("00dac17f958d2ee523a2206206994597c13d831ec7", false)]
    public void IsContractAddress_Value_ZeroXAndFortyHexDigits(string value, bool expected) =>
        Assert.That(CoinGeckoRules.IsContractAddress(value), Is.EqualTo(expected));

    [TestCase("Bitcoin", true)]
    [TestCase("Wrapped Bitcoin (WBTC)", true)]
    [TestCase("Bit\0coin", false)]
    [TestCase("Bitcöin", false)]
    public void IsPrintableAscii_Value_PrintableAsciiOnly(string value, bool expected) =>
        Assert.That(CoinGeckoRules.IsPrintableAscii(value, CoinGeckoRules.MaxNameLength), Is.EqualTo(expected));

    [Test]
    public void Fields_AllFlagsAndAMissingCurrency_CoinGeckoOrderWithTheFirstStamp()
    {
        var stamp = new DateTimeOffset(2024, 3, 25, 8, 45, 0, TimeSpan.Zero);
        QuoteView?[] quotes = [Quote(1.50m, 10m) with { LastUpdatedAt = null }, null, Quote(2m, null) with { LastUpdatedAt = stamp }];
        Currency[] currencies = [Usd, Currency.From("gbp"), Eur];

        var fields = CoinGeckoRules.Fields(quotes, currencies, new QuoteFlags(MarketCap: true, Volume: true, Change: true, LastUpdated: true, Precision: null));

        Assert.That(fields, Is.EqualTo(new CoinGeckoField[]
        {
            new("usd", 1.5m), new("usd_market_cap", 10m), new("usd_24h_vol", null), new("usd_24h_change", null),
            new("eur", 2m), new("eur_market_cap", null), new("eur_24h_vol", null), new("eur_24h_change", null),
            new("last_updated_at", stamp.ToUnixTimeSeconds()),
        }));
    }

    [Test]
    public void Fields_NoFlags_PricesOnlyRounded()
    {
        QuoteView?[] quotes = [Quote(67187.3358936566m, 10m), Quote(3459.625m, null)];

        var fields = CoinGeckoRules.Fields(quotes, [Usd, Eur], new QuoteFlags(false, false, false, LastUpdated: true, Precision: 2));

        Assert.That(fields, Is.EqualTo(new CoinGeckoField[] { new("usd", 67187.34m), new("eur", 3459.63m) }), "no stamp given, so no last_updated_at");
    }

    [Test]
    public void Fields_NoQuote_IsEmpty() =>
        Assert.That(CoinGeckoRules.Fields(new QuoteView?[] { null, null }, [Usd, Eur], default), Is.Empty);

    [Test]
    public void Pick_SharedSymbol_HighestMarketCapInFirstCurrencyWins()
    {
        // Coins none, small and big, two currencies each (usd first): only the usd market caps count.
        PriceLookup?[] answers =
        [
            Answer(null), Answer(900_000_000m),
            Answer(10m), Answer(900_000_000m),
            Answer(400_000_000m), Answer(1m),
        ];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(SimplePriceQueryHandler.Pick([0, 1, 2], answers, width: 2), Is.EqualTo(2));
            Assert.That(SimplePriceQueryHandler.Pick([0], answers, width: 2), Is.Zero, "a group of one is that coin");
            Assert.That(SimplePriceQueryHandler.Pick([0, 1], [null, null, null, null], width: 2), Is.EqualTo(-1), "no price, no coin");
        }
    }

    private static PriceLookup Answer(decimal? marketCap) =>
        new("coin", "usd", 1m, marketCap, null, null, Cached: true, Stale: false, AgeSeconds: 0, FreshForSeconds: 60, DateTime.UtcNow, null, "coingecko");

    private static QuoteView Quote(decimal price, decimal? marketCap) => new(price, marketCap, null, null, null, new CacheFreshness(false, false, 0));
}
