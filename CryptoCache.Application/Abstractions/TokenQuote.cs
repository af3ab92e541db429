using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>Everything the provider gives for one token contract (<c>Address</c>, lower-case) in one currency.</summary>
public sealed record TokenQuote(
    string Address,
    Currency Currency,
    decimal Price,
    decimal? MarketCap,
    decimal? Volume24h,
    decimal? Change24h,
    DateTimeOffset FetchedAt,
    DateTimeOffset? LastUpdatedAt,
    string Source);
