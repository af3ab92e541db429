using CryptoCache.Application.CoinGecko.Models;
using MediatR;

namespace CryptoCache.Application.CoinGecko.TokenPrice;

/// <summary>CoinGecko's <c>GET /simple/token_price/{platform}</c>, each query parameter as its raw values.</summary>
public sealed record TokenPriceQuery(
    string? Platform,
    IReadOnlyList<string>? ContractAddresses,
    IReadOnlyList<string>? VsCurrencies,
    IReadOnlyList<string>? IncludeMarketCap,
    IReadOnlyList<string>? Include24hrVol,
    IReadOnlyList<string>? Include24hrChange,
    IReadOnlyList<string>? IncludeLastUpdatedAt,
    IReadOnlyList<string>? Precision) : IRequest<CoinGeckoPriceMap>, IQuoteRequest;
