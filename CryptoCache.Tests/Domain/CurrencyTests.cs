using CryptoCache.Domain;

namespace CryptoCache.Tests.Domain;

public sealed class CurrencyTests
{
    [TestCase("usd", "usd")]
    [TestCase("EUR", "eur")]
    [TestCase("sats", "sats")]
    public void TryFrom_ValidCode_NormalisesToLowerCase(string raw, string expected)
    {
        Assert.That(Currency.TryFrom(raw, out var currency), Is.True);
        Assert.That(currency.Value, Is.EqualTo(expected));
    }

    [TestCase("u")]
    [TestCase("usd1")]
    [TestCase("us-d")]
    [TestCase("abcdefghijk")]
    [TestCase("")]
    public void TryFrom_InvalidCode_IsRejected(string raw) => Assert.That(Currency.TryFrom(raw, out _), Is.False);

    [Test]
    public void PricePair_SameCoinAndCurrency_AreEqual() =>
        Assert.That(new PricePair(CoinId.From("BTC"), Currency.From("usd")), Is.EqualTo(new PricePair(CoinId.From("btc"), Currency.From("USD"))));

    [TestCase("usd")]
    [TestCase("EUR")]
    [TestCase("u")]
    [TestCase("usd1")]
    [TestCase("us-d")]
    [TestCase("abcdefghij")]
    [TestCase("abcdefghijk")]
    [TestCase("")]
    public void IsValid_AnyText_AgreesWithTryFrom(string raw) => Assert.That(Currency.IsValid(raw), Is.EqualTo(Currency.TryFrom(raw, out _)));
}
