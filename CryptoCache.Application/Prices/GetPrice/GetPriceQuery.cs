using MediatR;

namespace CryptoCache.Application.Prices.GetPrice;

/// <summary>One coin in one currency; null takes the configured default.</summary>
public sealed record GetPriceQuery(string? Coin, string? Currency) : IRequest<PriceDto>;
