using System.Text.Json.Serialization;

namespace CryptoCache.Application.Prices.Models;

/// <summary>What the cache keeps for one pair.</summary>
/// <param name="Price">Null when the provider answered without this pair (an unknown coin): remembered too, so junk ids cost one call.</param>
/// <param name="FetchedAt">When the provider answered; the age of the entry is measured from here.</param>
/// <param name="LastUpdatedAt">The provider's own time stamp for the price, when it gave one.</param>
public sealed record PriceEntry(decimal? Price, DateTimeOffset FetchedAt, DateTimeOffset? LastUpdatedAt)
{
    [JsonIgnore]
    public bool IsKnown => Price is not null;
}
