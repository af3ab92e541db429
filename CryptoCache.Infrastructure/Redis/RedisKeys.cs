using CryptoCache.Application.Abstractions;
using CryptoCache.Domain;

namespace CryptoCache.Infrastructure.Redis;

/// <summary>Every Redis key and channel the service uses, spelled in one place. The version segment lets a new format coexist with the old.</summary>
internal static class RedisKeys
{
    /// <summary>Prefix of every key (FusionCache adds it to cache keys).</summary>
    public const string Prefix = "cryptocache:v2:";

    /// <summary>Cache key of a pair, without <see cref="Prefix"/>.</summary>
    public static string Price(PricePair pair) => $"price:{pair.Coin.Value}:{pair.Currency.Value}";

    /// <summary>The pair's entry as the distributed cache stores it (the cache key with <see cref="Prefix"/>).</summary>
    public static string PriceEntry(PricePair pair) => Prefix + Price(pair);

    /// <summary>
    /// Suffix of the cache's cross-replica factory locks (pinned in FusionCache's options): a pair's lock is its entry's
    /// key plus this, whether the cache's factory takes it or a batch does (<see cref="PriceLock"/>).
    /// </summary>
    public const string LockSuffix = ":lock";

    /// <summary>The pair's cross-replica fetch lock.</summary>
    public static string PriceLock(PricePair pair) => PriceEntry(pair) + LockSuffix;

    /// <summary>Channel on which every lock release is announced (the lock names, one per line), so waiters need not poll.</summary>
    public const string LockReleased = Prefix + "locks:released";

    /// <summary>Cache key of the supported currency list, without <see cref="Prefix"/>.</summary>
    public const string Currencies = "currencies";

    /// <summary>Cache key of the provider's coin list (with platforms), without <see cref="Prefix"/>.</summary>
    public const string CoinsList = "coins:list";

    /// <summary>Cache key of a token price (platform + contract address + currency), without <see cref="Prefix"/>.</summary>
    public static string TokenPrice(TokenPair token) => $"token:{token.Platform}:{token.Address}:{token.Currency.Value}";

    /// <summary>Sorted set of the provider calls made in the last minute, by all replicas.</summary>
    public const string ProviderCalls = Prefix + "provider:calls";

    /// <summary>Present while every replica must leave the provider alone after a 429.</summary>
    public const string ProviderCooldown = Prefix + "provider:cooldown";

    /// <summary>Sorted set of hot pairs (member <c>coin/currency</c>) scored by when any replica was last asked for them (unix ms).</summary>
    public const string HotAsked = Prefix + "hot:asked";

    /// <summary>Sorted set of hot pairs scored by how often they are asked, halved every minute by the leader.</summary>
    public const string HotPopularity = Prefix + "hot:popularity";

    /// <summary>Present while its popularity has been halved this minute: the leader's decay runs once a minute, whoever leads.</summary>
    public const string HotDecay = Prefix + "hot:decay";

    /// <summary>The refresher lease: the id of the replica that refreshes for all, with an expiry.</summary>
    public const string RefresherLease = Prefix + "refresher:leader";

    /// <summary>
    /// Sorted set of the cold pairs a client asked for in the last minute (one member each, scored by when). The id is
    /// already a truncated SHA-256 of the client's key or address: no key or address is ever stored.
    /// </summary>
    public static string ClientPairs(string clientId) => $"{Prefix}client:{clientId}:pairs";

    /// <summary>Sorted set of the provider calls a client's misses rode on in the last minute.</summary>
    public static string ClientCalls(string clientId) => $"{Prefix}client:{clientId}:calls";

    /// <summary>Channel prefix of FusionCache's backplane.</summary>
    public const string Backplane = Prefix + "backplane";
}
