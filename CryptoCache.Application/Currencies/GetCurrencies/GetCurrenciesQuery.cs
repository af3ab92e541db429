using MediatR;

namespace CryptoCache.Application.Currencies.GetCurrencies;

public sealed record GetCurrenciesQuery : IRequest<CurrencyListDto>;
