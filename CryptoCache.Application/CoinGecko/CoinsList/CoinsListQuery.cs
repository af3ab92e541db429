using MediatR;

namespace CryptoCache.Application.CoinGecko.CoinsList;

/// <summary>CoinGecko's <c>GET /coins/list</c>; <c>include_platform</c> as its raw values.</summary>
public sealed record CoinsListQuery(IReadOnlyList<string>? IncludePlatform) : IRequest<IReadOnlyList<CoinListItemDto>>;
