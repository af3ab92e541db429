namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>A resolved price (of a coin or a token) as the CoinGecko-compatible answers need it.</summary>
internal sealed record QuoteView(
    decimal Price,
    decimal? MarketCap,
    decimal? Volume24h,
    decimal? Change24h,
    DateTimeOffset? LastUpdatedAt,
    CacheFreshness Freshness);
