using MediatR;

namespace CryptoCache.Application.CoinGecko.SupportedVsCurrencies;

/// <summary>CoinGecko's <c>GET /simple/supported_vs_currencies</c>: the cached list as a plain array.</summary>
public sealed record SupportedVsCurrenciesQuery : IRequest<IReadOnlyList<string>>;
