namespace CryptoCache.Bench.Ceiling;

/// <summary>The same fields, in the same order, as the API's PriceDto, so that both write the same JSON.</summary>
public sealed record CeilingPriceDto
{
    public required string Coin { get; init; }

    public required string Currency { get; init; }

    public required decimal Price { get; init; }

    public decimal? MarketCap { get; init; }

    public decimal? Volume24h { get; init; }

    public decimal? Change24h { get; init; }

    public required bool Cached { get; init; }

    public required bool Stale { get; init; }

    public required int AgeSeconds { get; init; }

    public required DateTime FetchedAt { get; init; }

    public DateTime? LastUpdatedAt { get; init; }

    public required string Source { get; init; }
}
