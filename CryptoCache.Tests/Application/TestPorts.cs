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
        repository.Setup(r => r.TryGetAsync(It.IsAny<PricePair>(), It.IsAny<CancellationToken>())).ReturnsAsync((PriceEntry?)null);
        repository
            .Setup(r => r.GetOrFetchAsync(It.IsAny<PricePair>(), It.IsAny<Func<PricePair, CancellationToken, Task<PriceEntry>>>(), It.IsAny<CancellationToken>()))
            .Returns((PricePair pair, Func<PricePair, CancellationToken, Task<PriceEntry>> fetch, CancellationToken ct) => new ValueTask<PriceEntry>(fetch(pair, ct)));
        repository
            .Setup(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Currencies);
        repository.Setup(r => r.SetManyAsync(It.IsAny<IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>>>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns(ValueTask.CompletedTask);
        return repository;
    }

    /// <summary>Fetch locks with no other replica: every pair granted, none cached, none held.</summary>
    public static Mock<IFetchLocks> NoOtherReplica()
    {
        var locks = new Mock<IFetchLocks>();
        locks.Setup(l => l.ClaimAsync(It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<IReadOnlyCollection<PricePair>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> _, CancellationToken _) => ValueTask.FromResult(FetchClaim.All(pairs)));
        return locks;
    }

    /// <summary>A provider whose price calls <paramref name="answer"/> makes, cutting coins into calls of <paramref name="maxIdsPerCall"/>.</summary>
    public static Mock<IPriceProvider> Provider(
        Func<IReadOnlyCollection<CoinId>, IReadOnlyCollection<Currency>, IReadOnlyList<PriceQuote>> answer, int maxIdsPerCall = 250, MockBehavior behavior = MockBehavior.Default)
    {
        var provider = new Mock<IPriceProvider>(behavior);
        provider.SetupGet(p => p.MaxIdsPerCall).Returns(maxIdsPerCall);
        provider.SetupGet(p => p.CallTimeout).Returns(TimeSpan.FromSeconds(10));
        provider.SetupGet(p => p.LastKnownBudget).Returns(new ProviderBudget(30, null, false));
        provider.Setup(p => p.Partition(It.IsAny<IReadOnlyList<CoinId>>()))
            .Returns((IReadOnlyList<CoinId> coins) => coins.Chunk(maxIdsPerCall).Select(c => (IReadOnlyList<CoinId>)c).ToList());
        provider.Setup(p => p.GetPricesAsync(It.IsAny<IReadOnlyCollection<CoinId>>(), It.IsAny<IReadOnlyCollection<Currency>>(), It.IsAny<ProviderPurpose>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, ProviderPurpose _, CancellationToken _) => answer(coins, currencies));
        return provider;
    }

    /// <summary>A quote as the provider would give it.</summary>
    public static PriceQuote Quote(CoinId coin, Currency currency, decimal price, DateTimeOffset? lastUpdated = null) =>
        new(new PricePair(coin, currency), price, price * 1_000, price * 10, 1.5m, DateTimeOffset.UtcNow, lastUpdated, "coingecko");
}
