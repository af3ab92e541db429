using CryptoCache.Application.Abstractions;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CryptoCache.Tests.Application;

/// <summary><c>/simple/price</c> through the whole MediatR pipeline against mocked ports, with the pairs cached.</summary>
public sealed class SimplePriceQueryHandlerTests
{
    private static readonly DateTimeOffset Updated = DateTimeOffset.FromUnixTimeSeconds(1_711_356_300);

    [Test]
    public async Task Send_AllCached_CoinsOnceInRequestOrderUnsupportedCurrencyAbsent()
    {
        var repository = Cached(age: TimeSpan.FromSeconds(3), "bitcoin", "ethereum");
        using var services = ApplicationServices.Build(repository.Object, TestPorts.Provider((_, _) => []).Object);
        using var scope = services.CreateScope();

        var map = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(Query(ids: "ethereum,BITCOIN,ethereum", currencies: "usd,xyz,eur,USD"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.Entries.Select(e => e.Key), Is.EqualTo(new[] { "ethereum", "bitcoin" }));
            Assert.That(map.Entries[0].Fields, Is.EqualTo(new CoinGeckoField[] { new("usd", 2m), new("eur", 2m) }), "xyz is not supported; usd once");
            Assert.That(map.Freshness, Is.EqualTo(new CacheFreshness(Fetched: false, Stale: false, AgeSeconds: 3)));
        }
    }

    [Test]
    public async Task Send_AllCached_NeitherAsksTheClientNorCallsTheProvider()
    {
        var repository = Cached(age: TimeSpan.Zero, "bitcoin", "ethereum");
        var client = new Mock<IClientContext>(MockBehavior.Strict);
        var provider = TestPorts.Provider((_, _) => []);
        using var services = ApplicationServices.Build(repository.Object, provider.Object, clientContext: client.Object);
        using var scope = services.CreateScope();

        var map = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(Query(ids: "bitcoin,ethereum", currencies: "usd,eur"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.Entries, Has.Count.EqualTo(2));
            client.VerifyGet(c => c.Current, Times.Never, "an all-hit request charges nobody, so it need not know its client");
            provider.Verify(p => p.GetPricesAsync(It.IsAny<IReadOnlyCollection<CoinId>>(), It.IsAny<IReadOnlyCollection<Currency>>(), It.IsAny<ProviderPurpose>(), It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task LookupMany_HitsAndAMiss_AnswersHitsWithoutATaskAndFetchesTheMiss()
    {
        var repository = Cached(age: TimeSpan.Zero, "bitcoin");
        var provider = TestPorts.Provider((coins, currencies) => [.. coins.SelectMany(c => currencies.Select(cur => TestPorts.Quote(c, cur, 7m)))]);
        using var services = ApplicationServices.Build(repository.Object, provider.Object);
        var resolver = services.GetRequiredService<PriceResolver>();
        var usd = Currency.From("usd");

        var lookups = await resolver.LookupManyAsync([new PricePair(CoinId.From("bitcoin"), usd), new PricePair(CoinId.From("cardano"), usd)], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lookups[0].Answer?.Price, Is.EqualTo(1m));
            Assert.That(lookups[0].Pending, Is.Null);
            Assert.That(lookups[1].Answer, Is.Null);
            Assert.That((await lookups[1].Pending!).Price, Is.EqualTo(7m));
        }
    }

    [Test]
    public async Task Send_SymbolSharedByCoins_TheOneWithTheHighestMarketCapInTheFirstCurrency()
    {
        var repository = Cached(age: TimeSpan.Zero, "bitcoin", "wrapped-eth", "ethereum");
        repository.Setup(r => r.GetOrFetchCoinsListAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<CoinListing>>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CoinListing[]
            {
                new("wrapped-eth", "eth", "Wrapped Ether", new Dictionary<string, string>()),
                new("ethereum", "eth", "Ethereum", new Dictionary<string, string>()),
                new("bitcoin", "btc", "Bitcoin", new Dictionary<string, string>()),
            });
        using var services = ApplicationServices.Build(repository.Object, TestPorts.Provider((_, _) => []).Object);
        using var scope = services.CreateScope();

        var map = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(Query(ids: null, currencies: "usd", symbols: "ETH,btc,eth"));

        Assert.That(map.Entries.Select(e => e.Key), Is.EqualTo(new[] { "ethereum", "bitcoin" }), "wrapped-eth has the smaller cap; eth asked twice, shown once");
    }

    /// <summary>A repository holding usd and eur quotes of the coins (price: position + 1, market cap growing with it), fetched <paramref name="age"/> ago.</summary>
    private static Mock<IPriceRepository> Cached(TimeSpan age, params string[] coins)
    {
        var repository = TestPorts.PassThroughRepository();
        for (var i = 0; i < coins.Length; i++)
        {
            foreach (var currency in new[] { "usd", "eur" })
            {
                var entry = new PriceEntry(i + 1, DateTimeOffset.UtcNow - age, Updated, MarketCap: (i + 1) * 1_000m, Source: "coingecko");
                repository.Setup(r => r.TryGetAsync(new PricePair(CoinId.From(coins[i]), Currency.From(currency)), It.IsAny<CancellationToken>())).ReturnsAsync(entry);
            }
        }

        return repository;
    }

    private static SimplePriceQuery Query(string? ids, string currencies, string? symbols = null) =>
        new(ids is null ? null : [ids], null, symbols is null ? null : [symbols], null, [currencies], null, null, null, null, null);
}
