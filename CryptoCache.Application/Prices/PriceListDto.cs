namespace CryptoCache.Application.Prices;

/// <summary>The answer of <c>GET /prices</c>.</summary>
public sealed record PriceListDto
{
    /// <summary>Every pair that has a price, fresh or stale.</summary>
    public required IReadOnlyList<PriceDto> Prices { get; init; }

    /// <summary>Every pair asked for that has none.</summary>
    public required IReadOnlyList<MissingPriceDto> Missing { get; init; }
}
