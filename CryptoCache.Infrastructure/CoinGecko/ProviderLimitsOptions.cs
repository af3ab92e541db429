using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Infrastructure.CoinGecko;

/// <summary>
/// The provider's limits and budget, read by the provider client alone. Same section as the engine's
/// <c>ProviderOptions</c>: to an operator both are "how the provider is spent". Documented in README.md.
/// </summary>
internal sealed class ProviderLimitsOptions
{
    public const string SectionName = "Provider";

    /// <summary>Provider calls allowed in any 60 s, shared by every replica through Redis.</summary>
    [Range(1, 100_000), Display(Name = "Provider:MaxCallsPerMinute")]
    public int MaxCallsPerMinute { get; set; } = 30;

    /// <summary>Provider calls allowed per minute to one replica while Redis is unreachable.</summary>
    [Range(1, 100_000), Display(Name = "Provider:FallbackMaxCallsPerMinute")]
    public int FallbackMaxCallsPerMinute { get; set; } = 10;

    /// <summary>Seconds every replica stops calling after a 429 that carried no Retry-After.</summary>
    [Range(1, 3_600), Display(Name = "Provider:RateLimitBackoffSeconds")]
    public int RateLimitBackoffSeconds { get; set; } = 60;

    /// <summary>Most coin ids in one provider call.</summary>
    [Range(1, 515), Display(Name = "Provider:MaxIdsPerCall")]
    public int MaxIdsPerCall { get; set; } = 250;

    /// <summary>Most characters of ids in one call's URL, to stay clear of HTTP 414.</summary>
    [Range(100, 16_000), Display(Name = "Provider:MaxIdsLength")]
    public int MaxIdsLength { get; set; } = 4_000;
}
