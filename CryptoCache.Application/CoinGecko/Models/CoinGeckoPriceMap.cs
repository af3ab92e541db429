namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>
/// A <c>/simple/price</c> or <c>/simple/token_price</c> answer: coin id (or contract address) → field → number, in
/// CoinGecko's order. Written by the Api with exact decimals.
/// </summary>
/// <param name="Entries">One per coin (or contract) with at least one price, in the request's order.</param>
/// <param name="Freshness">Null when the answer holds no price.</param>
public sealed record CoinGeckoPriceMap(IReadOnlyList<CoinGeckoPriceEntry> Entries, CacheFreshness? Freshness);
