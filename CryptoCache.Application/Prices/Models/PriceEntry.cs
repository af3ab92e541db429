using System.Text.Json.Serialization;
using CryptoCache.Domain;

namespace CryptoCache.Application.Prices.Models;

/// <summary>What the cache keeps for one pair: the provider's full quote, so one entry serves every view of it.</summary>
/// <param name="Price">Null when the provider answered without this pair (an unknown coin): remembered too, so junk ids cost one call.</param>
/// <param name="FetchedAt">When the provider answered; the age of the entry is measured from here.</param>
/// <param name="LastUpdatedAt">The provider's own time stamp for the price, when it gave one.</param>
/// <param name="MarketCap">Market capitalisation, when given.</param>
/// <param name="Volume24h">24 h volume, when given.</param>
/// <param name="Change24h">24 h change in percent, when given.</param>
/// <param name="Source">The provider that gave it.</param>
public sealed record PriceEntry(
    decimal? Price,
    DateTimeOffset FetchedAt,
    DateTimeOffset? LastUpdatedAt,
    decimal? MarketCap = null,
    decimal? Volume24h = null,
    decimal? Change24h = null,
    string? Source = null)
{
    [JsonIgnore]
    public bool IsKnown => Price is not null;

    public static PriceEntry From(PriceQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return new(quote.Price, quote.FetchedAt, quote.LastUpdatedAt, quote.MarketCap, quote.Volume24h, quote.Change24h, quote.Source);
    }

    /// <summary>The provider answered without the pair.</summary>
    public static PriceEntry Unknown(DateTimeOffset fetchedAt) => new(null, fetchedAt, null);
}
