using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CryptoCache.Tests.Application;

/// <summary>Fair share: cold misses are charged to their client before a provider call; hits never are.</summary>
public sealed class ClientQuotaPolicyTests
{
    private static readonly PricePair[] Pairs =
        [.. new[] { "bitcoin", "ethereum", "cardano" }.Select(c => new PricePair(CoinId.From(c), Currency.From("usd")))];

    private static Mock<IPriceProvider> Provider(int budget = 6)
    {
        var provider = TestPorts.Provider((coins, currencies) => [.. coins.SelectMany(c => currencies.Select(cur => TestPorts.Quote(c, cur, 1)))]);
        provider.SetupGet(p => p.LastKnownBudget).Returns(new ProviderBudget(budget, budget, false));
        return provider;
    }

    private static Mock<IClientQuota> Quota(int allow, TimeSpan retryAfter)
    {
        var quota = new Mock<IClientQuota>();
        quota.Setup(q => q.TryChargeAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns((string _, int pairs, int _, int _, CancellationToken _) => ValueTask.FromResult(new ClientQuotaDecision(Math.Min(pairs, allow), allow < pairs ? retryAfter : TimeSpan.Zero)));
        return quota;
    }

    [Test]
    public async Task ResolveMany_ColdPairsOverTheShare_RefusedWithRetryAfterWhileTheAllowedOnesAreFetched()
    {
        var quota = Quota(allow: 1, TimeSpan.FromSeconds(42));
        var provider = Provider();
        using var sp = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, provider.Object, quota: quota.Object);
        var resolver = sp.GetRequiredService<PriceResolver>();

        var lookups = await resolver.ResolveManyAsync(Pairs, CancellationToken.None);

        var first = await lookups[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Price, Is.EqualTo(1m));
            Assert.That(() => lookups[1], Throws.TypeOf<ClientQuotaExceededException>().With.Property(nameof(ClientQuotaExceededException.RetryAfter)).EqualTo(TimeSpan.FromSeconds(42)));
            Assert.That(() => lookups[2], Throws.TypeOf<ClientQuotaExceededException>());
        }

        // One charge for the request's three cold pairs, with the default limits: 200 pairs, half of a 6-call budget.
        quota.Verify(q => q.TryChargeAsync("test-client", 3, 200, 3, It.IsAny<CancellationToken>()), Times.Once);
        provider.Verify(p => p.GetPricesAsync(It.Is<IReadOnlyCollection<CoinId>>(c => c.Count == 1), It.IsAny<IReadOnlyCollection<Currency>>(), ProviderPurpose.Miss, It.IsAny<CancellationToken>()), Times.Once);
        quota.Verify(q => q.RecordCallAsync(It.Is<IReadOnlyCollection<string>>(c => c.Single() == "test-client"), It.IsAny<CancellationToken>()), Times.Once, "the call counts against the client's share");
    }

    [Test]
    public async Task Resolve_CachedOrStale_NeverAsksTheQuota()
    {
        var quota = Quota(allow: 0, TimeSpan.FromSeconds(5));
        var repository = TestPorts.PassThroughRepository();
        var fresh = new PriceEntry(10m, DateTimeOffset.UtcNow, null, null, null, null, "coingecko");
        var stale = fresh with { FetchedAt = DateTimeOffset.UtcNow.AddHours(-1) };
        repository.Setup(r => r.TryGetAsync(Pairs[0], It.IsAny<CancellationToken>())).ReturnsAsync(fresh);
        repository.Setup(r => r.TryGetAsync(Pairs[1], It.IsAny<CancellationToken>())).ReturnsAsync(stale);
        using var sp = ApplicationServices.Build(repository.Object, Provider().Object, quota: quota.Object);
        var resolver = sp.GetRequiredService<PriceResolver>();

        var hit = await resolver.ResolveAsync(Pairs[0], CancellationToken.None);
        var old = await resolver.ResolveAsync(Pairs[1], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hit.Cached, Is.True);
            Assert.That(old.Price, Is.Not.Zero, "a stale (refreshed) answer, not a refusal");
            quota.Verify(q => q.TryChargeAsync(It.IsAny<string>(), It.Is<int>(n => n > 0), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public void Resolve_ColdPairOverTheShare_ThrowsWithoutAProviderCall()
    {
        var quota = Quota(allow: 0, TimeSpan.FromSeconds(7));
        var provider = Provider();
        using var sp = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, provider.Object, quota: quota.Object);
        var resolver = sp.GetRequiredService<PriceResolver>();

        Assert.That(() => resolver.ResolveAsync(Pairs[2], CancellationToken.None).AsTask(),
            Throws.TypeOf<ClientQuotaExceededException>().With.Property(nameof(ClientQuotaExceededException.RetryAfter)).EqualTo(TimeSpan.FromSeconds(7)));
        provider.Verify(p => p.GetPricesAsync(It.IsAny<IReadOnlyCollection<CoinId>>(), It.IsAny<IReadOnlyCollection<Currency>>(), It.IsAny<ProviderPurpose>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Charge_ClientKeyWithItsOwnLimitAndAFullShare_PassesThemToTheStore()
    {
        var quota = Quota(allow: 10, TimeSpan.Zero);
        var client = Mock.Of<IClientContext>(c => c.Current == new ClientIdentity("keyed", 5_000));
        using var sp = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, Provider(budget: 30).Object,
            new Dictionary<string, string?> { ["Clients:MaxBudgetShare"] = "0.2" }, quota.Object, client);
        var resolver = sp.GetRequiredService<PriceResolver>();

        await resolver.ResolveAsync(Pairs[0], CancellationToken.None);

        quota.Verify(q => q.TryChargeAsync("keyed", 1, 5_000, 6, It.IsAny<CancellationToken>()), Times.Once);
    }
}
