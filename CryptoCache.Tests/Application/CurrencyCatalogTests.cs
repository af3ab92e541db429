using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Currencies;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CryptoCache.Tests.Application;

public sealed class CurrencyCatalogTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => 1_000;

        public override long GetTimestamp() => Now;
    }

    private static Mock<IPriceRepository> Repository(IReadOnlyList<string> currencies)
    {
        var repository = new Mock<IPriceRepository>();
        repository
            .Setup(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(currencies);
        return repository;
    }

    private static CurrencyCatalog Catalog(Mock<IPriceRepository> repository, ManualTime time) =>
        new(repository.Object, Mock.Of<IPriceProvider>(), time, NullLogger<CurrencyCatalog>.Instance);

    [Test]
    public async Task IsSupportedAsync_WithinTheSnapshotLifetime_ReadsTheCacheOnce()
    {
        var repository = Repository(TestPorts.Currencies);
        var catalog = Catalog(repository, new ManualTime());

        var usd = await catalog.IsSupportedAsync("usd", CancellationToken.None);
        var eur = await catalog.IsSupportedAsync("eur", CancellationToken.None);
        var xyz = await catalog.IsSupportedAsync("xyz", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((usd, eur, xyz), Is.EqualTo(((bool?)true, (bool?)true, (bool?)false)));
            repository.Verify(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task IsSupportedAsync_AfterTheSnapshotLifetime_ReadsTheCacheAgain()
    {
        var repository = Repository(TestPorts.Currencies);
        var time = new ManualTime();
        var catalog = Catalog(repository, time);

        await catalog.IsSupportedAsync("usd", CancellationToken.None);
        time.Now += (long)CurrencyCatalog.SnapshotLifetime.TotalMilliseconds;
        var usd = await catalog.IsSupportedAsync("usd", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(usd, Is.True);
            repository.Verify(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        }
    }

    [Test]
    public async Task IsSupportedAsync_ListUnavailable_AnswersUnknownAndAsksAgainNextTime()
    {
        var repository = new Mock<IPriceRepository>();
        repository
            .Setup(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderUnavailableException(ProviderFailure.Error, "down"));
        var catalog = Catalog(repository, new ManualTime());

        var first = await catalog.IsSupportedAsync("usd", CancellationToken.None);
        var second = await catalog.IsSupportedAsync("usd", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first, second), Is.EqualTo(((bool?)null, (bool?)null)));
            repository.Verify(r => r.GetOrFetchCurrenciesAsync(It.IsAny<Func<CancellationToken, Task<IReadOnlyList<string>>>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        }
    }
}
