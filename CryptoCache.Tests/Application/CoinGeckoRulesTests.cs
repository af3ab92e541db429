using CryptoCache.Application.CoinGecko;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Domain;

namespace CryptoCache.Tests.Application;

public sealed class CoinGeckoRulesTests
{
    [TestCase("1.005", 2, "1.01")]
    [TestCase("-1.005", 2, "-1.01")]
    [TestCase("2.5", 0, "3")]
    [TestCase("1.50", null, "1.5")]
    public void Round_Precision_HalfAwayFromZeroWithoutTrailingZeros(string value, int? precision, string expected) =>
        Assert.That(CoinGeckoRules.Round(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), precision)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected));

    [TestCase("full", true)]
    [TestCase("0", true)]
    [TestCase("18", true)]
    [TestCase("19", false)]
    [TestCase("-1", false)]
    [TestCase("abc", false)]
    [TestCase("", false)]
    public void TryPrecision_Value_AcceptsFullAndZeroToEighteen(string value, bool valid) =>
        Assert.That(CoinGeckoRules.TryPrecision(value, out _), Is.EqualTo(valid));

    [Test]
    public void Pick_SharedSymbol_HighestMarketCapInFirstCurrencyWins()
    {
        var usd = Currency.From("usd");
        var small = CoinId.From("small-eth");
        var big = CoinId.From("ethereum");
        var none = CoinId.From("no-cap-eth");
        var quotes = new Dictionary<PricePair, QuoteView>
        {
            [new PricePair(small, usd)] = Quote(10m),
            [new PricePair(big, usd)] = Quote(400_000_000m),
            [new PricePair(none, usd)] = Quote(null),
        };

        Assert.That(SimplePriceQueryHandler.Pick([none, small, big], usd, quotes), Is.EqualTo(big));
    }

    private static QuoteView Quote(decimal? marketCap) => new(1m, marketCap, null, null, null, new CacheFreshness(false, false, 0));
}
