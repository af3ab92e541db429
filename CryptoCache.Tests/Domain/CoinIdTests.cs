using CryptoCache.Domain;

namespace CryptoCache.Tests.Domain;

public sealed class CoinIdTests
{
    [TestCase("bitcoin", "bitcoin")]
    [TestCase("BitCoin", "bitcoin")]
    [TestCase("usd-coin", "usd-coin")]
    [TestCase("0x", "0x")]
    public void TryFrom_ValidId_NormalisesToLowerCase(string raw, string expected)
    {
        Assert.That(CoinId.TryFrom(raw, out var coin), Is.True);
        Assert.That(coin.Value, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase(" bitcoin")]
    [TestCase("bit coin")]
    [TestCase("bitcoin&ids=eth")]
    [TestCase("bit\0coin")]
    [TestCase("../etc")]
    [TestCase("bitcöin")]
    [TestCase("bit_coin")]
    public void TryFrom_InvalidId_IsRejected(string raw) => Assert.That(CoinId.TryFrom(raw, out _), Is.False);

    [Test]
    public void TryFrom_LengthLimits_AreOneToHundred()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CoinId.TryFrom(new string('a', 100), out _), Is.True);
            Assert.That(CoinId.TryFrom(new string('a', 101), out _), Is.False);
            Assert.That(CoinId.TryFrom(null, out _), Is.False);
        }
    }

    [Test]
    public void From_InvalidId_Throws() => Assert.That(() => CoinId.From("b@d"), Throws.ArgumentException);

    [TestCase("bitcoin")]
    [TestCase("BitCoin")]
    [TestCase("usd-coin")]
    [TestCase("0x")]
    [TestCase("")]
    [TestCase(" bitcoin")]
    [TestCase("bit\0coin")]
    [TestCase("bitcöin")]
    [TestCase("bit_coin")]
    [TestCase("Z-9")]
    public void IsValid_AnyText_AgreesWithTryFrom(string raw) => Assert.That(CoinId.IsValid(raw), Is.EqualTo(CoinId.TryFrom(raw, out _)));

    [Test]
    public void IsValid_LengthLimits_AreOneToHundred()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CoinId.IsValid(new string('a', 100)), Is.True);
            Assert.That(CoinId.IsValid(new string('a', 101)), Is.False);
        }
    }
}
