using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using CryptoCache.Domain;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CryptoCache.Tests.Application;

/// <summary>The whole MediatR pipeline (validation behaviour, handler, mapping) against mocked ports.</summary>
public sealed class GetPriceQueryHandlerTests
{
    private static readonly DateTimeOffset Updated = DateTimeOffset.FromUnixTimeSeconds(1_711_356_300);

    [Test]
    public async Task Send_KnownPair_MapsProviderQuoteToDto()
    {
        var client = TestPorts.Provider((coins, currencies) => [TestPorts.Quote(coins.Single(), currencies.Single(), 67187.3358936566m, Updated)]);
        using var services = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, client.Object);
        using var scope = services.CreateScope();

        var dto = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetPriceQuery("BITCOIN", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.Coin, Is.EqualTo("bitcoin"));
            Assert.That(dto.Currency, Is.EqualTo("usd"), "the default currency");
            Assert.That(dto.Price, Is.EqualTo(67187.3358936566m));
            Assert.That(dto.MarketCap, Is.EqualTo(67187335.8936566m), "the full quote reaches the DTO");
            Assert.That(dto.Volume24h, Is.EqualTo(671873.358936566m));
            Assert.That(dto.Change24h, Is.EqualTo(1.5m));
            Assert.That(dto.Cached, Is.False);
            Assert.That(dto.Stale, Is.False);
            Assert.That(dto.LastUpdatedAt, Is.EqualTo(Updated.UtcDateTime));
            Assert.That(dto.Source, Is.EqualTo("coingecko"));
        }
    }

    [Test]
    public void Send_ProviderHasNoSuchCoin_ThrowsPriceNotFound()
    {
        var client = TestPorts.Provider((_, _) => []);
        using var services = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, client.Object);
        using var scope = services.CreateScope();

        Assert.That(() => scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetPriceQuery("no-such-coin", "usd")),
            Throws.TypeOf<PriceNotFoundException>());
    }

    [Test]
    public void Send_InvalidInput_ThrowsValidationAndNeverCallsTheProvider()
    {
        var calls = 0;
        var client = TestPorts.Provider((_, _) =>
        {
            calls++;
            return [];
        });
        using var services = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, client.Object);
        using var scope = services.CreateScope();

        var error = Assert.ThrowsAsync<ValidationException>(() => scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetPriceQuery("b@d", "xyz")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Errors.Select(e => e.PropertyName), Is.EquivalentTo(new[] { "coin", "currency" }));
            Assert.That(calls, Is.Zero, "no provider call for input that failed validation");
        }
    }

    [Test]
    public void Send_ProviderUnavailable_PropagatesForA503()
    {
        var client = TestPorts.Provider((_, _) => throw new ProviderUnavailableException(ProviderFailure.Timeout, "slow", TimeSpan.FromSeconds(5)));
        using var services = ApplicationServices.Build(TestPorts.PassThroughRepository().Object, client.Object);
        using var scope = services.CreateScope();

        Assert.That(() => scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetPriceQuery("bitcoin", "usd")),
            Throws.TypeOf<ProviderUnavailableException>().With.Property(nameof(ProviderUnavailableException.Failure)).EqualTo(ProviderFailure.Timeout));
    }

    [Test]
    public void MappingConfiguration_IsValid()
    {
        using var services = ApplicationServices.Build(Mock.Of<IPriceRepository>(), Mock.Of<IPriceProvider>());

        Assert.That(() => services.GetRequiredService<AutoMapper.IMapper>().ConfigurationProvider.AssertConfigurationIsValid(), Throws.Nothing);
    }

    [Test]
    public void MappingProfile_MapsPriceDtoOnly_FlatTypes()
    {
        // AutoMapper 14's advisory concerns self-referential maps; the profile must stay flat.
        var dtoProperties = typeof(PriceDto).GetProperties().Select(p => p.PropertyType);
        Assert.That(dtoProperties.All(t => t.IsPrimitive || t == typeof(string) || t == typeof(decimal) || t == typeof(decimal?) || t == typeof(DateTime) || t == typeof(DateTime?)), Is.True);
    }
}
