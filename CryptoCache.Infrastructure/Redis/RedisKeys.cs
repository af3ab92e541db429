using CryptoCache.Domain;

namespace CryptoCache.Infrastructure.Redis;

/// <summary>Every Redis key and channel the service uses, spelled in one place. The version segment lets a new format coexist with the old.</summary>
internal static class RedisKeys
{
    /// <summary>Prefix of every key (FusionCache adds it to cache keys).</summary>
    public const string Prefix = "cryptocache:v1:";

    /// <summary>Cache key of a pair, without <see cref="Prefix"/>.</summary>
    public static string Price(PricePair pair) => $"price:{pair.Coin.Value}:{pair.Currency.Value}";

    /// <summary>Cache key of the supported currency list, without <see cref="Prefix"/>.</summary>
    public const string Currencies = "currencies";

    /// <summary>Sorted set of the provider calls made in the last minute, by all replicas.</summary>
    public const string ProviderCalls = Prefix + "provider:calls";

    /// <summary>Present while every replica must leave the provider alone after a 429.</summary>
    public const string ProviderCooldown = Prefix + "provider:cooldown";

    /// <summary>Channel prefix of FusionCache's backplane.</summary>
    public const string Backplane = Prefix + "backplane";
}
