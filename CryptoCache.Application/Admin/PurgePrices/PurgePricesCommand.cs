using MediatR;

namespace CryptoCache.Application.Admin.PurgePrices;

/// <summary>Forget one pair, or one coin in every supported currency, on every replica.</summary>
public sealed record PurgePricesCommand(string Coin, string? Currency) : IRequest<PurgeResultDto>;
