using MediatR;

namespace CryptoCache.Application.Currencies.GetCurrencies;

internal sealed class GetCurrenciesQueryHandler(CurrencyCatalog catalog) : IRequestHandler<GetCurrenciesQuery, CurrencyListDto>
{
    public async Task<CurrencyListDto> Handle(GetCurrenciesQuery request, CancellationToken cancellationToken) =>
        new() { Currencies = await catalog.GetAsync(cancellationToken).ConfigureAwait(false) };
}
