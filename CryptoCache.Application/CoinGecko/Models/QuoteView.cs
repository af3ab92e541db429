namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>
/// A resolved price (of a coin or a token) as the CoinGecko-compatible answers need it. A value, not an object: a
/// request holds one per pair, and every one of them is read once while the answer is built.
/// </summary>
internal readonly record struct QuoteView(
    decimal Price,
    decimal? MarketCap,
    decimal? Volume24h,
    decimal? Change24h,
    DateTimeOffset? LastUpdatedAt,
    CacheFreshness Freshness);
