using System.Text.Json.Serialization;

namespace CryptoCache.Api.CoinGecko;

/// <summary>CoinGecko's error body for 400, 404 and 503: <c>{"error":"..."}</c>.</summary>
public sealed record CoinGeckoErrorDto
{
    [JsonPropertyName("error")]
    public required string Error { get; init; }
}
