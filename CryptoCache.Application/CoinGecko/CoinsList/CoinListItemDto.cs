using System.Text.Json.Serialization;

namespace CryptoCache.Application.CoinGecko.CoinsList;

/// <summary>One coin of <c>/coins/list</c> in CoinGecko's shape.</summary>
public sealed record CoinListItemDto
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("symbol")]
    public required string Symbol { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Asset platform id → contract address; only with <c>include_platform=true</c>.</summary>
    [JsonPropertyName("platforms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Platforms { get; init; }
}
