using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Currencies;
using CryptoCache.Domain;
using MediatR;

namespace CryptoCache.Application.Admin.PurgePrices;

internal sealed class PurgePricesCommandHandler(IPriceRepository repository, CurrencyCatalog currencies) : IRequestHandler<PurgePricesCommand, PurgeResultDto>
{
    public async Task<PurgeResultDto> Handle(PurgePricesCommand request, CancellationToken cancellationToken)
    {
        var coin = CoinId.From(request.Coin);

        // A whole coin: every supported currency, since keys are never listed (no KEYS or SCAN on Redis).
        var codes = request.Currency is { } one
            ? [Currency.From(one).Value]
            : await currencies.GetAsync(cancellationToken).ConfigureAwait(false);
        foreach (var code in codes)
        {
            await repository.RemoveAsync(new PricePair(coin, Currency.From(code)), cancellationToken).ConfigureAwait(false);
        }

        return new PurgeResultDto(coin.Value, codes);
    }
}
