using MediatR;

namespace CryptoCache.Application.Prices.GetPrices;

/// <summary>Every listed coin in every listed currency. Each item may itself be a comma-separated list.</summary>
public sealed record GetPricesQuery(IReadOnlyList<string>? Coins, IReadOnlyList<string>? Currencies) : IRequest<PriceListDto>;
