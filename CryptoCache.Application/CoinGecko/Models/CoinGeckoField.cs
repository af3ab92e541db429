namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>One field of a CoinGecko price map (<c>usd</c>, <c>usd_market_cap</c>, <c>last_updated_at</c>…); null is written as JSON null.</summary>
public readonly record struct CoinGeckoField(string Name, decimal? Value);
