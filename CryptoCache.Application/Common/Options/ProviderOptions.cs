using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Application.Common.Options;

/// <summary>How the provider is spent: the shared budget, the 429 back-off, and how misses are batched.</summary>
public sealed class ProviderOptions
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

    /// <summary>Quiet milliseconds after the last miss before a batch goes to the provider; every new miss restarts it (0: only those already queued).</summary>
    [Range(0, 1_000), Display(Name = "Provider:BatchWindowMilliseconds")]
    public int BatchWindowMilliseconds { get; set; } = 10;

    /// <summary>Most milliseconds a batch stays open while misses keep arriving.</summary>
    [Range(0, 5_000), Display(Name = "Provider:MaxBatchWaitMilliseconds")]
    public int MaxBatchWaitMilliseconds { get; set; } = 50;

    /// <summary>Most coin ids in one provider call.</summary>
    [Range(1, 515), Display(Name = "Provider:MaxIdsPerCall")]
    public int MaxIdsPerCall { get; set; } = 250;

    /// <summary>Most characters of ids in one call's URL, to stay clear of HTTP 414.</summary>
    [Range(100, 16_000), Display(Name = "Provider:MaxIdsLength")]
    public int MaxIdsLength { get; set; } = 4_000;
}
