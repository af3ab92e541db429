using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Application.Common.Options;

/// <summary>How long prices stay fresh and how long they may be served stale. Documented in README.md.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>Seconds a price is fresh (seed env CACHE_TTL_SECONDS).</summary>
    [Range(1, 86_400), Display(Name = "Cache:TtlSeconds")]
    public int TtlSeconds { get; set; } = 300;

    /// <summary>Seconds past its fetch that a price may still be served, marked stale, while the provider fails.</summary>
    [Range(0, 604_800), Display(Name = "Cache:MaxStaleSeconds")]
    public int MaxStaleSeconds { get; set; } = 86_400;

    /// <summary>Seconds an unknown coin is remembered, so repeats do not reach the provider.</summary>
    [Range(1, 86_400), Display(Name = "Cache:UnknownCoinTtlSeconds")]
    public int UnknownCoinTtlSeconds { get; set; } = 120;

    /// <summary>Seconds the provider's list of supported currencies is fresh.</summary>
    [Range(1, 604_800), Display(Name = "Cache:CurrenciesTtlSeconds")]
    public int CurrenciesTtlSeconds { get; set; } = 3_600;

    /// <summary>Seconds the provider's coin list (names, symbols, contract addresses) is fresh; CoinGecko refreshes it every 30 min.</summary>
    [Range(1, 604_800), Display(Name = "Cache:CoinsListTtlSeconds")]
    public int CoinsListTtlSeconds { get; set; } = 1_800;

    /// <summary>Fraction of the TTL after which the refresher refreshes a price that clients ask for.</summary>
    [Range(0.5, 0.99), Display(Name = "Cache:EagerRefreshThreshold")]
    public double EagerRefreshThreshold { get; set; } = 0.8;

    /// <summary>Seconds a pair stays in the hot set (refreshed in bulk) after it was last asked for; 0: three TTLs.</summary>
    [Range(0, 604_800), Display(Name = "Cache:HotWindowSeconds")]
    public int HotWindowSeconds { get; set; }

    /// <summary>Milliseconds between two ticks of the refresher (hot set shared, lease renewed, due pairs refreshed).</summary>
    [Range(100, 60_000), Display(Name = "Cache:RefreshIntervalMilliseconds")]
    public int RefreshIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>After a failed refresh, seconds the stale price is served before the provider is tried again.</summary>
    [Range(1, 3_600), Display(Name = "Cache:FailSafeThrottleSeconds")]
    public int FailSafeThrottleSeconds { get; set; } = 10;

    /// <summary>Milliseconds a request waits for a slow provider before it is given the stale price instead.</summary>
    [Range(10, 60_000), Display(Name = "Cache:FactorySoftTimeoutMilliseconds")]
    public int FactorySoftTimeoutMilliseconds { get; set; } = 1_000;

    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);

    public TimeSpan MaxStale => TimeSpan.FromSeconds(MaxStaleSeconds);

    public TimeSpan HotWindow => TimeSpan.FromSeconds(HotWindowSeconds > 0 ? HotWindowSeconds : 3L * TtlSeconds);

    public TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(RefreshIntervalMilliseconds);
}
