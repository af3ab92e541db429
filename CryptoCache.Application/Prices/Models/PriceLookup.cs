namespace CryptoCache.Application.Prices.Models;

/// <summary>A resolved price with what a client needs to judge it. Flat, so that it maps to the DTO one to one.</summary>
public sealed record PriceLookup(
    string Coin,
    string Currency,
    decimal Price,
    decimal? MarketCap,
    decimal? Volume24h,
    decimal? Change24h,
    bool Cached,
    bool Stale,
    int AgeSeconds,
    int FreshForSeconds,
    DateTime FetchedAt,
    DateTime? LastUpdatedAt,
    string Source);
