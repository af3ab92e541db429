using AutoMapper;
using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using MediatR;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices.GetPrice;

internal sealed class GetPriceQueryHandler(PriceResolver resolver, IMapper mapper, IOptions<PricesOptions> options)
    : IRequestHandler<GetPriceQuery, PriceDto>
{
    private readonly PricesOptions _defaults = options.Value;

    public async Task<PriceDto> Handle(GetPriceQuery request, CancellationToken cancellationToken)
    {
        var pair = new PricePair(
            CoinId.From(request.Coin ?? _defaults.DefaultCoin),
            Currency.From(request.Currency ?? _defaults.DefaultCurrency));
        var lookup = await resolver.ResolveAsync(pair, cancellationToken).ConfigureAwait(false);
        return mapper.Map<PriceDto>(lookup);
    }
}
