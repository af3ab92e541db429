using System.Net;
using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.Budget;
using CryptoCache.Infrastructure.Caching;
using CryptoCache.Infrastructure.Clients;
using CryptoCache.Infrastructure.CoinGecko;
using CryptoCache.Infrastructure.Diagnostics;
using CryptoCache.Infrastructure.Health;
using CryptoCache.Infrastructure.Redis;
using CryptoCache.Infrastructure.Refresh;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace CryptoCache.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Tag of the health checks that make up readiness.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName)
            .Validate(o => !o.IsConfigured || RedisConnectionString.TryParse(o.ConnectionString, out _),
                "Redis:ConnectionString (REDIS_URL) must be redis://[user:password@]host:port[/db] or a StackExchange.Redis configuration string.")
            .Validate(o => o.TimeoutMilliseconds is >= 50 and <= 30_000, "Redis:TimeoutMilliseconds must be between 50 and 30000.")
            .Validate(o => o.LockPollMilliseconds is >= 10 and <= 60_000, "Redis:LockPollMilliseconds must be between 10 and 60000.")
            .ValidateOnStart();
        services.AddOptions<CoinGeckoOptions>().BindConfiguration(CoinGeckoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProviderLimitsOptions>().BindConfiguration(ProviderLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<PriceMemoryCache>();
        var fusion = services.AddFusionCache()
            .WithOptions(ConfigureFusionCache)
            .WithMemoryCache(sp => sp.GetRequiredService<PriceMemoryCache>())
            .WithSerializer(new FusionCacheSystemTextJsonSerializer());

        // Registration only: nothing here connects. The choice of cache is made from configuration alone.
        if (!string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.ConnectionString)}"]))
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<IProviderBudget, RedisProviderBudget>();
            services.AddSingleton<IRefreshCoordinator, RedisRefreshCoordinator>();
            services.AddSingleton<IClientQuota, RedisClientQuota>();
            services.AddSingleton<LockReleaseSignals>();
            services.AddSingleton<IFetchLocks, RedisFetchLocks>();
            fusion
                .WithDistributedCache(sp => new RedisCache(Options.Create(new RedisCacheOptions
                {
                    ConnectionMultiplexerFactory = sp.GetRequiredService<RedisConnection>().GetAsync,
                })))
                .WithBackplane(sp => new RedisBackplane(
                    Options.Create(new RedisBackplaneOptions { ConnectionMultiplexerFactory = sp.GetRequiredService<RedisConnection>().GetAsync }),
                    sp.GetRequiredService<ILogger<RedisBackplane>>()))
                .WithDistributedLocker(sp => new RedisLocker(
                    sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<LockReleaseSignals>(), sp.GetRequiredService<ILogger<RedisLocker>>()));
        }
        else
        {
            services.AddSingleton<IProviderBudget, LocalProviderBudget>();
            services.AddSingleton<IRefreshCoordinator, LocalRefreshCoordinator>();
            services.AddSingleton<IClientQuota, LocalClientQuota>();
            services.AddSingleton<IFetchLocks, LocalFetchLocks>();
        }

        services.AddSingleton<ProviderMetrics>();
        services.AddSingleton<IEngineMetrics, PrometheusEngineMetrics>();
        services.AddSingleton<ProviderHealth>();
        services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag])
            .AddCheck<ProviderHealthCheck>("provider", tags: [ReadyTag]);

        services.AddSingleton<IPriceRepository, FusionPriceRepository>();
        services.AddSingleton<ICacheStatistics, CacheStatistics>();
        services.AddSingleton<IPriceProvider, CoinGeckoClient>();
        services.AddTransient<ProviderBudgetHandler>();
        var http = services.AddHttpClient(CoinGeckoClient.HttpClientName, ConfigureHttpClient);
        http.AddResilienceHandler("coingecko", ConfigureResilience);
        // Added after the resilience handler, so it runs inside it: once per attempt.
        http.AddHttpMessageHandler<ProviderBudgetHandler>();

        services.AddHostedService<CacheModeReporter>();
        services.AddHostedService<RefresherService>();
        return services;
    }

    private static void ConfigureFusionCache(FusionCacheOptions options)
    {
        options.CacheKeyPrefix = RedisKeys.Prefix;
        // Our prefix carries its own version, so keys in Redis read exactly as RedisKeys spells them.
        options.DistributedCacheKeyModifierMode = CacheKeyModifierMode.None;
        options.BackplaneChannelPrefix = RedisKeys.Backplane;
        // Pinned, because batches take the same locks by name (RedisKeys.PriceLock) as the cache's factory does.
        options.InternalStrings.DistributedLockerLockNameSuffix = RedisKeys.LockSuffix;
        options.ReThrowOriginalExceptions = true;
        // No tags are used; without this every first read also looks up FusionCache's tag markers in Redis.
        options.DisableTagging = true;
        options.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(2);
        options.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(2);
        options.FailSafeActivationLogLevel = LogLevel.Warning;
        options.FactoryErrorsLogLevel = LogLevel.Warning;
        options.FactorySyntheticTimeoutsLogLevel = LogLevel.Debug;
        options.DistributedCacheErrorsLogLevel = LogLevel.Warning;
        options.DistributedCacheSyntheticTimeoutsLogLevel = LogLevel.Debug;
        options.BackplaneErrorsLogLevel = LogLevel.Warning;
    }

    private static void ConfigureHttpClient(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<CoinGeckoOptions>>().Value;
        http.BaseAddress = options.EffectiveBaseUrl;
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        http.DefaultRequestHeaders.UserAgent.ParseAdd("CryptoCache/1.0");
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            http.DefaultRequestHeaders.Add(options.KeyHeader, options.ApiKey);
        }
    }

    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<CoinGeckoOptions>>().Value;

        // 429 and our own budget refusals are not transient failures: retrying them would only spend more calls.
        static ValueTask<bool> IsTransient(Outcome<HttpResponseMessage> outcome) => ValueTask.FromResult(
            outcome.Exception is HttpRequestException or TimeoutRejectedException
            || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout });

        builder.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => IsTransient(args.Outcome),
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 4,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakSeconds),
            ShouldHandle = args => IsTransient(args.Outcome),
        });
    }
}
