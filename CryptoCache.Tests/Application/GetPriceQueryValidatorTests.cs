using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Prices.GetPrice;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CryptoCache.Tests.Application;

/// <summary>The validator's shortcut must never call valid what its rules reject, and must spare the usual request the rules.</summary>
public sealed class GetPriceQueryValidatorTests
{
    private static readonly (string? Coin, string? Currency)[] Inputs =
    [
        ("bitcoin", "usd"), ("BITCOIN", "USD"), (null, null), (null, "eur"), ("wrapped-bitcoin", null), ("usd-coin", "sats"), ("bitcoin", "jpy"),
        ("", "usd"), ("bitcoin", ""), ("bit coin", "usd"), ("bitcoin", "us d"), ("bitcoin", "xyz"), ("bitcoin", "u"),
        ("bitcoin", "usd1"), ("bitcoin!", "usd"), (new string('a', 101), "usd"), ("bitcoin", "ÜSD"), ("ßitcoin", "usd"),
    ];

    private static async Task<GetPriceQueryValidator> ValidatorAsync(bool listKnown)
    {
        var repository = new Mock<IPriceRepository>();
        repository
            .Setup(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(TestPorts.Currencies);
        var catalog = new CurrencyCatalog(repository.Object, Mock.Of<IPriceProvider>(), TimeProvider.System, NullLogger<CurrencyCatalog>.Instance);
        if (listKnown)
        {
            await catalog.IsSupportedAsync("usd", CancellationToken.None);
        }

        return new GetPriceQueryValidator(catalog);
    }

    [Test]
    public async Task IsCertainlyValid_WhenTrue_TheRulesPassToo()
    {
        var validator = await ValidatorAsync(listKnown: true);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (coin, currency) in Inputs)
            {
                var query = new GetPriceQuery(coin, currency);
                var valid = (await validator.ValidateAsync(query)).IsValid;
                Assert.That(!validator.IsCertainlyValid(query) || valid, $"shortcut said valid, rules said invalid: {coin} / {currency}");
            }
        }
    }

    [TestCase("bitcoin", "usd")]
    [TestCase("BITCOIN", "USD")]
    [TestCase(null, null)]
    [TestCase("usd-coin", "sats")]
    public async Task IsCertainlyValid_UsualRequestWithTheListAtHand_IsTrue(string? coin, string? currency)
    {
        var validator = await ValidatorAsync(listKnown: true);

        Assert.That(validator.IsCertainlyValid(new GetPriceQuery(coin, currency)), Is.True);
    }

    [Test]
    public async Task IsCertainlyValid_ListNotAtHand_LeavesTheCurrencyToTheRules()
    {
        var validator = await ValidatorAsync(listKnown: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.IsCertainlyValid(new GetPriceQuery("bitcoin", "usd")), Is.False);
            Assert.That(validator.IsCertainlyValid(new GetPriceQuery("bitcoin", null)), Is.True, "no currency given: nothing to look up");
        }
    }
}
