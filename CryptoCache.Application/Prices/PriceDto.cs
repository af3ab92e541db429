using System.Text.Json.Serialization;

namespace CryptoCache.Application.Prices;

/// <summary>One price, as <c>GET /price</c> and each item of <c>GET /prices</c> return it.</summary>
public sealed record PriceDto
{
    /// <summary>CoinGecko coin id, lower-case.</summary>
    public required string Coin { get; init; }

    /// <summary>Quote currency, lower-case.</summary>
    public required string Currency { get; init; }

    /// <summary>The provider's price, with the provider's precision.</summary>
    public required decimal Price { get; init; }

    /// <summary>Market capitalisation in <c>currency</c>, when the provider gives it.</summary>
    public decimal? MarketCap { get; init; }

    /// <summary>Traded volume over the last 24 h in <c>currency</c>, when the provider gives it.</summary>
    public decimal? Volume24h { get; init; }

    /// <summary>Price change over the last 24 h in percent, when the provider gives it.</summary>
    public decimal? Change24h { get; init; }

    /// <summary>True when the answer came from the cache without a provider call made for this request.</summary>
    public required bool Cached { get; init; }

    /// <summary>True when the price is older than the TTL and is served because the provider cannot be reached.</summary>
    public required bool Stale { get; init; }

    /// <summary>Seconds since the provider gave this price.</summary>
    public required int AgeSeconds { get; init; }

    /// <summary>When the provider gave this price (UTC).</summary>
    public required DateTime FetchedAt { get; init; }

    /// <summary>When the provider says it last updated the price (UTC), if it said.</summary>
    public DateTime? LastUpdatedAt { get; init; }

    /// <summary>Where the price comes from.</summary>
    public required string Source { get; init; }

    /// <summary>Seconds the price stays fresh; sent as <c>Cache-Control: max-age</c>, not in the body.</summary>
    [JsonIgnore]
    public int FreshForSeconds { get; init; }
}
