using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using Moq;

namespace CryptoCache.Tests.Application;

/// <summary>Moq set-ups shared by the handler and validator tests.</summary>
internal static class TestPorts
{
    public static readonly string[] Currencies = ["usd", "eur", "sats"];

    /// <summary>A repository that runs the fetch for prices (no cache) and hands back a fixed currency list.</summary>
    public static Mock<IPriceRepository> PassThroughRepository()
    {
        var repository = new Mock<IPriceRepository>(MockBehavior.Strict);
        repository
            .Setup(r => r.GetOrFetchAsync(It.IsAny<PricePair>(), It.IsAny<Func<PricePair, CancellationToken, Task<PriceEntry>>>(), It.IsAny<CancellationToken>()))
            .Returns((PricePair pair, Func<PricePair, CancellationToken, Task<PriceEntry>> fetch, CancellationToken ct) => new ValueTask<PriceEntry>(fetch(pair, ct)));
        repository
            .Setup(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Currencies);
        return repository;
    }
}
