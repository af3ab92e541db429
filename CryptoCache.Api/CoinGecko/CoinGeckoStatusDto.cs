using System.Text.Json.Serialization;

namespace CryptoCache.Api.CoinGecko;

/// <summary>The <c>status</c> object of CoinGecko's 429 body.</summary>
public sealed record CoinGeckoStatusDto
{
    [JsonPropertyName("error_code")]
    public required int ErrorCode { get; init; }

    [JsonPropertyName("error_message")]
    public required string ErrorMessage { get; init; }
}
