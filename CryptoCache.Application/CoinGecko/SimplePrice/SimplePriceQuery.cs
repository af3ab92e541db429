using CryptoCache.Application.CoinGecko.Models;
using MediatR;

namespace CryptoCache.Application.CoinGecko.SimplePrice;

/// <summary>
/// CoinGecko's <c>GET /simple/price</c>, each parameter as the raw values of the query string (so that a repeated
/// parameter can be refused). Coins by <c>ids</c>, else <c>names</c>, else <c>symbols</c>.
/// </summary>
public sealed record SimplePriceQuery(
    IReadOnlyList<string>? Ids,
    IReadOnlyList<string>? Names,
    IReadOnlyList<string>? Symbols,
    IReadOnlyList<string>? IncludeTokens,
    IReadOnlyList<string>? VsCurrencies,
    IReadOnlyList<string>? IncludeMarketCap,
    IReadOnlyList<string>? Include24hrVol,
    IReadOnlyList<string>? Include24hrChange,
    IReadOnlyList<string>? IncludeLastUpdatedAt,
    IReadOnlyList<string>? Precision) : IRequest<CoinGeckoPriceMap>, IQuoteRequest
{
    /// <summary><c>include_tokens=all</c>: every coin with a requested symbol, not only the top one.</summary>
    internal bool AllTokens => string.Equals(CoinGeckoRules.Value(IncludeTokens), "all", StringComparison.OrdinalIgnoreCase);
}
