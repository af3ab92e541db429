using System.Text.Json.Serialization;

namespace CryptoCache.Api.CoinGecko;

/// <summary>CoinGecko's 429 (and 401) body: <c>{"status":{"error_code":429,"error_message":"..."}}</c>.</summary>
public sealed record CoinGeckoRateLimitDto
{
    [JsonPropertyName("status")]
    public required CoinGeckoStatusDto Status { get; init; }
}
