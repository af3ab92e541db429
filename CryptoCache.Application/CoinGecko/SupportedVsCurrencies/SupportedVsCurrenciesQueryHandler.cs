using CryptoCache.Application.Currencies;
using MediatR;

namespace CryptoCache.Application.CoinGecko.SupportedVsCurrencies;

internal sealed class SupportedVsCurrenciesQueryHandler(CurrencyCatalog catalog) : IRequestHandler<SupportedVsCurrenciesQuery, IReadOnlyList<string>>
{
    public async Task<IReadOnlyList<string>> Handle(SupportedVsCurrenciesQuery request, CancellationToken cancellationToken) =>
        await catalog.GetAsync(cancellationToken).ConfigureAwait(false);
}
