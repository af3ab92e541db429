namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>One coin (or contract address) of a CoinGecko price map, its fields in CoinGecko's order.</summary>
public sealed record CoinGeckoPriceEntry(string Key, IReadOnlyList<CoinGeckoField> Fields);
