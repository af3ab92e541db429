namespace CryptoCache.Domain;

/// <summary>Everything the provider gives for one pair in one answer.</summary>
/// <param name="Pair">The coin and currency.</param>
/// <param name="Price">Kept as decimal so the provider's digits survive the round trip unchanged.</param>
/// <param name="MarketCap">Market capitalisation in the pair's currency, if the provider gave it.</param>
/// <param name="Volume24h">Traded volume over the last 24 h in the pair's currency, if given.</param>
/// <param name="Change24h">Price change over the last 24 h in percent, if given (the provider may send null).</param>
/// <param name="FetchedAt">When the provider answered.</param>
/// <param name="LastUpdatedAt">When the provider says it last updated the price, if it said.</param>
/// <param name="Source">Which provider gave it.</param>
public sealed record PriceQuote(
    PricePair Pair,
    decimal Price,
    decimal? MarketCap,
    decimal? Volume24h,
    decimal? Change24h,
    DateTimeOffset FetchedAt,
    DateTimeOffset? LastUpdatedAt,
    string Source);
