using CryptoCache.Domain;
using CryptoCache.Infrastructure.CoinGecko;

namespace CryptoCache.Tests.Infrastructure;

/// <summary>The provider says how many ids fit in one call: by count, and by the length they add to the URL.</summary>
public sealed class CoinGeckoPartitionTests
{
    [Test]
    public void Partition_MoreCoinsThanOneCallCarries_SplitsByMaxIdsPerCallInOrder()
    {
        var coins = Enumerable.Range(1, 7).Select(i => CoinId.From($"coin-{i}")).ToList();

        var chunks = CoinGeckoClient.Partition(coins, new ProviderLimitsOptions { MaxIdsPerCall = 3 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.Select(c => c.Count), Is.EqualTo(new[] { 3, 3, 1 }));
            Assert.That(chunks.SelectMany(c => c), Is.EqualTo(coins), "order kept: the most popular coins go first");
        }
    }

    [Test]
    public void Partition_IdsLongerThanOneUrlCarries_SplitsByLength()
    {
        var coins = Enumerable.Range(1, 6).Select(i => CoinId.From(new string((char)('a' + i), 40))).ToList(); // 43 characters each in the URL

        var chunks = CoinGeckoClient.Partition(coins, new ProviderLimitsOptions { MaxIdsLength = 100 });

        Assert.That(chunks.Select(c => c.Count), Is.EqualTo(new[] { 2, 2, 2 }), "two ids of 43 characters fit in 100");
    }

    [Test]
    public void Partition_NoCoins_NoCalls() =>
        Assert.That(CoinGeckoClient.Partition([], new ProviderLimitsOptions()), Is.Empty);
}
