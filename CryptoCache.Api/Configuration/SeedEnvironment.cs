namespace CryptoCache.Api.Configuration;

/// <summary>
/// The original Python service's environment names, mapped onto configuration keys so that its ConfigMap and
/// Compose files work unchanged. A seed name wins over the key's own env form when both are set.
/// </summary>
internal static class SeedEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["REDIS_URL"] = "Redis:ConnectionString",
        ["CACHE_TTL_SECONDS"] = "Cache:TtlSeconds",
        ["DEFAULT_COIN"] = "Prices:DefaultCoin",
        ["DEFAULT_CURRENCY"] = "Prices:DefaultCurrency",
    };

    public static IConfigurationBuilder AddSeedEnvironmentVariables(this IConfigurationBuilder builder)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, key) in Names)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                values[key] = value;
            }
        }

        return builder.AddInMemoryCollection(values);
    }
}
