using CryptoCache.Application.Admin.GetCacheStats;
using CryptoCache.Application.Admin.PurgePrices;
using CryptoCache.Application.Behaviours;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Currencies.GetCurrencies;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using CryptoCache.Application.Prices.GetPrices;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CryptoCache.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PricesOptions>().BindConfiguration(PricesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProviderOptions>().BindConfiguration(ProviderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApplicationMetrics>();
        services.AddSingleton<PriceBatcher>();
        services.AddSingleton<PriceResolver>();
        services.AddSingleton<CurrencyCatalog>();

        // MediatR 5.1 has no container integration package that restores here, so it is wired by hand:
        // the mediator, its service factory, each handler, and the open-generic behaviours.
        services.AddScoped<ServiceFactory>(provider => provider.GetRequiredService);
        services.AddScoped<IMediator, Mediator>();
        services.AddTransient<IRequestHandler<GetPriceQuery, PriceDto>, GetPriceQueryHandler>();
        services.AddTransient<IRequestHandler<GetPricesQuery, PriceListDto>, GetPricesQueryHandler>();
        services.AddTransient<IRequestHandler<GetCurrenciesQuery, CurrencyListDto>, GetCurrenciesQueryHandler>();
        services.AddTransient<IRequestHandler<GetCacheStatsQuery, CacheStatsDto>, GetCacheStatsQueryHandler>();
        services.AddTransient<IRequestHandler<PurgePricesCommand, PurgeResultDto>, PurgePricesCommandHandler>();
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));

        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddAutoMapper(cfg => cfg.AddProfile<PriceMappingProfile>());
        return services;
    }
}
