using System.Text.Json.Serialization;

namespace CryptoCache.Api.CoinGecko;

/// <summary>CoinGecko's <c>/ping</c> answer.</summary>
public sealed record PingDto
{
    public static readonly PingDto ToTheMoon = new() { GeckoSays = "(V3) To the Moon!" };

    [JsonPropertyName("gecko_says")]
    public required string GeckoSays { get; init; }
}
