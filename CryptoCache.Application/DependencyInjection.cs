using CryptoCache.Application.Admin.GetCacheStats;
using CryptoCache.Application.Admin.PurgePrices;
using CryptoCache.Application.Behaviours;
using CryptoCache.Application.Clients;
using CryptoCache.Application.CoinGecko;
using CryptoCache.Application.CoinGecko.CoinsList;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Application.CoinGecko.SupportedVsCurrencies;
using CryptoCache.Application.CoinGecko.TokenPrice;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Currencies.GetCurrencies;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using CryptoCache.Application.Prices.GetPrices;
using CryptoCache.Application.Refresh;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CryptoCache.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PricesOptions>().BindConfiguration(PricesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CoinGeckoApiOptions>().BindConfiguration(CoinGeckoApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProviderOptions>().BindConfiguration(ProviderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClientsOptions>().BindConfiguration(ClientsOptions.SectionName)
            // One value (env Clients__ApiKeys from a Secret, comma-separated) as well as a list (Clients__ApiKeys__0…):
            // the binder reads only the list form into an array.
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (options.ApiKeys.Length == 0 && configuration[$"{ClientsOptions.SectionName}:{nameof(ClientsOptions.ApiKeys)}"] is { Length: > 0 } keys)
                {
                    options.ApiKeys = [keys];
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EngineStatistics>();
        services.AddSingleton<HotSet>();
        services.AddSingleton<HotPairRefresher>();
        services.AddSingleton<RefreshDemand>();
        services.AddSingleton<ClientQuotaPolicy>();
        services.AddSingleton<PriceBatcher>();
        services.AddSingleton<IPendingMisses>(provider => provider.GetRequiredService<PriceBatcher>());
        services.AddSingleton<PriceResolver>();
        services.AddSingleton<CurrencyCatalog>();
        services.AddSingleton<CoinCatalog>();
        services.AddSingleton<TokenPriceResolver>();

        // MediatR 5.1 has no container integration package that restores here, so it is wired by hand:
        // the mediator, its service factory, each handler, and the open-generic behaviours.
        // Handlers and the behaviour are stateless and depend on singletons only, so they are singletons too: MediatR
        // resolves them on every Send, and a transient would be built anew (with its dependencies) for every request.
        // For the same reason the mediator and its service factory are singletons over the root provider: scoped, every
        // request built a mediator and a factory delegate, and resolved the behaviours through its scope.
        services.AddSingleton<ServiceFactory>(provider => provider.GetRequiredService);
        services.AddSingleton<IMediator, Mediator>();
        services.AddSingleton<IRequestHandler<GetPriceQuery, PriceDto>, GetPriceQueryHandler>();
        services.AddSingleton<IRequestHandler<GetPricesQuery, PriceListDto>, GetPricesQueryHandler>();
        services.AddSingleton<IRequestHandler<GetCurrenciesQuery, CurrencyListDto>, GetCurrenciesQueryHandler>();
        services.AddSingleton<IRequestHandler<GetCacheStatsQuery, CacheStatsDto>, GetCacheStatsQueryHandler>();
        services.AddSingleton<IRequestHandler<PurgePricesCommand, PurgeResultDto>, PurgePricesCommandHandler>();
        services.AddSingleton<IRequestHandler<SimplePriceQuery, CoinGeckoPriceMap>, SimplePriceQueryHandler>();
        services.AddSingleton<IRequestHandler<TokenPriceQuery, CoinGeckoPriceMap>, TokenPriceQueryHandler>();
        services.AddSingleton<IRequestHandler<CoinsListQuery, IReadOnlyList<CoinListItemDto>>, CoinsListQueryHandler>();
        services.AddSingleton<IRequestHandler<SupportedVsCurrenciesQuery, IReadOnlyList<string>>, SupportedVsCurrenciesQueryHandler>();
        services.AddSingleton(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));

        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddAutoMapper(cfg => cfg.AddProfile<PriceMappingProfile>());
        return services;
    }
}
