using System.Text.Json;
using CryptoCache.Api;
using CryptoCache.Api.Management;
using CryptoCache.Application;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using CryptoCache.Infrastructure;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// The services as <c>Program.cs</c> registers them (AddApi, AddApplication, AddInfrastructure), configured by the API's
/// own appsettings.json without Redis, so the cache is FusionCache's memory level alone; the currency list and
/// bitcoin/usd are cached with the fake CoinGecko's fixture values. Set-up checks that a request for the pair is a
/// hit and that nothing went to the provider: a benchmark that silently measured a miss or a refusal would mislead.
/// </summary>
internal sealed class HitPathServices : IDisposable
{
    public const string Coin = "bitcoin";
    public const string Currency = "usd";

    private HitPathServices(ServiceProvider services, IConfiguration configuration, PriceDto dto)
    {
        Services = services;
        Configuration = configuration;
        Dto = dto;
    }

    public ServiceProvider Services { get; }

    /// <summary>The API's appsettings.json and the bench's overrides.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>What the API answers for the pair: the hit path's result, for the mapping and serialisation benchmarks.</summary>
    public PriceDto Dto { get; }

    public static PricePair Pair { get; } = new(CoinId.From(Coin), Domain.Currency.From(Currency));

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<HitPathServices> CreateAsync()
    {
        var configuration = LoadConfiguration();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // Console only, with the Logging section: the provider the API's log lines go to, at the API's levels.
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole());
        services
            .AddApi(configuration, ServerUrls.From(configuration))
            .AddApplication()
            .AddInfrastructure(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            // What RunOrExplainAsync checks before the host starts: the options are valid.
            provider.GetService<IStartupValidator>()?.Validate();
            var dto = await SeedAsync(provider).ConfigureAwait(false);
            return new HitPathServices(provider, configuration, dto);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The API's appsettings.json (embedded at build time), plus the bench's overrides.</summary>
    public static IConfigurationRoot LoadConfiguration(IDictionary<string, string?>? overrides = null)
    {
        using var appsettings = Resource("api-appsettings.json");
        return new ConfigurationBuilder()
            .AddJsonStream(appsettings)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // The discard port on loopback: a provider call the hit path should never make fails at once, here.
                ["CoinGecko:BaseUrl"] = "http://127.0.0.1:9/api/v3/",
                ["CoinGecko:MaxRetries"] = "0",
            })
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
    }

    public void Dispose() => Services.Dispose();

    private static async Task<PriceDto> SeedAsync(ServiceProvider provider)
    {
        var repository = provider.GetRequiredService<IPriceRepository>();
        var currencies = await ReadAsync<string[]>("supported-vs-currencies.json").ConfigureAwait(false);
        await repository.GetOrFetchCurrenciesAsync(_ => Task.FromResult<IReadOnlyList<string>>(currencies), CancellationToken.None).ConfigureAwait(false);

        using var prices = await JsonDocument.ParseAsync(Resource("simple-price.json")).ConfigureAwait(false);
        var quote = prices.RootElement.GetProperty(Coin);
        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
        var entry = new PriceEntry(
            quote.GetProperty(Currency).GetDecimal(),
            // A few seconds old, as a refreshed price is; fresh for the TTL (300 s by default), longer than a benchmark process lives.
            now.AddSeconds(-5),
            DateTimeOffset.FromUnixTimeSeconds(quote.GetProperty("last_updated_at").GetInt64()),
            quote.GetProperty($"{Currency}_market_cap").GetDecimal(),
            quote.GetProperty($"{Currency}_24h_vol").GetDecimal(),
            quote.GetProperty($"{Currency}_24h_change").GetDecimal(),
            "coingecko");
        await repository.SetAsync(Pair, entry, CancellationToken.None).ConfigureAwait(false);

        var dto = await provider.GetRequiredService<IMediator>().Send(new GetPriceQuery(Coin, Currency)).ConfigureAwait(false);
        var statistics = provider.GetRequiredService<EngineStatistics>();
        if (!dto.Cached || dto.Stale || dto.Price != entry.Price || statistics.Hits != 1 || statistics.Misses + statistics.Stale + statistics.Refused != 0)
        {
            throw new InvalidOperationException(
                $"Set-up: {Coin}/{Currency} is not a cache hit (cached {dto.Cached}, stale {dto.Stale}, hits {statistics.Hits}, misses {statistics.Misses}, refused {statistics.Refused}).");
        }

        return dto;
    }

    private static async Task<T> ReadAsync<T>(string name)
    {
        await using var stream = Resource(name);
        return await JsonSerializer.DeserializeAsync<T>(stream).ConfigureAwait(false) ?? throw new InvalidOperationException($"{name} is empty.");
    }

    private static Stream Resource(string name) =>
        typeof(HitPathServices).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Resource {name} is not embedded.");
}
