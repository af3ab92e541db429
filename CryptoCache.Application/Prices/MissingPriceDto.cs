namespace CryptoCache.Application.Prices;

/// <summary>A pair of a batch request that has no price.</summary>
public sealed record MissingPriceDto
{
    public const string UnknownReason = "unknown";
    public const string UnavailableReason = "unavailable";
    public const string QuotaReason = "quota";

    public required string Coin { get; init; }

    public required string Currency { get; init; }

    /// <summary><c>unknown</c>: the provider has no such coin or pair; <c>unavailable</c>: the provider cannot be reached and nothing is cached; <c>quota</c>: not cached, and this client spent its share of new pairs for now (retry later).</summary>
    public required string Reason { get; init; }
}
