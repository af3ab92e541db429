using System.Collections.Concurrent;

namespace CryptoCache.Application.CoinGecko;

/// <summary>
/// The extra field names of a currency in a CoinGecko price map (<c>usd_market_cap</c>, <c>usd_24h_vol</c>,
/// <c>usd_24h_change</c>), built once per currency rather than concatenated for every coin of every request.
/// </summary>
internal sealed record FieldNames(string MarketCap, string Volume, string Change)
{
    /// <summary>
    /// Enough for every currency the provider supports (about 60). Codes are only checked for their shape when the
    /// provider's list cannot be had, so past this the names are built per use rather than kept without bound.
    /// </summary>
    internal const int MaxKept = 1_024;

    private static readonly ConcurrentDictionary<string, FieldNames> Kept = new(StringComparer.Ordinal);

    public static FieldNames Of(string code)
    {
        if (Kept.TryGetValue(code, out var names))
        {
            return names;
        }

        names = new FieldNames(code + "_market_cap", code + "_24h_vol", code + "_24h_change");
        return Kept.Count < MaxKept ? Kept.GetOrAdd(code, names) : names;
    }
}
