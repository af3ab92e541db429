namespace CryptoCache.Domain;

/// <summary>A price as the provider gave it.</summary>
/// <param name="Pair">The coin and currency.</param>
/// <param name="Price">Kept as decimal so the provider's digits survive the round trip unchanged.</param>
/// <param name="FetchedAt">When the provider answered.</param>
/// <param name="LastUpdatedAt">When the provider says it last updated the price, if it said.</param>
public sealed record PriceQuote(PricePair Pair, decimal Price, DateTimeOffset FetchedAt, DateTimeOffset? LastUpdatedAt);
