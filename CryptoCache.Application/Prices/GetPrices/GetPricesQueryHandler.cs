using AutoMapper;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using MediatR;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices.GetPrices;

internal sealed class GetPricesQueryHandler(PriceResolver resolver, IMapper mapper, IOptions<PricesOptions> options)
    : IRequestHandler<GetPricesQuery, PriceListDto>
{
    private readonly PricesOptions _defaults = options.Value;

    public async Task<PriceListDto> Handle(GetPricesQuery request, CancellationToken cancellationToken)
    {
        var coins = PriceRules.SplitList(request.Coins).Select(CoinId.From).Distinct();
        var currencyItems = PriceRules.SplitList(request.Currencies);
        var currencies = (currencyItems.Length == 0 ? [_defaults.DefaultCurrency] : currencyItems).Select(Currency.From).Distinct().ToArray();
        var pairs = coins.SelectMany(coin => currencies.Select(currency => new PricePair(coin, currency))).ToArray();

        // All pairs at once: hits come from the cache together, the cold misses are charged to the client in one go,
        // and they meet in one provider call.
        var lookups = await resolver.ResolveManyAsync(pairs, cancellationToken).ConfigureAwait(false);
        var outcomes = await Task.WhenAll(pairs.Select((pair, i) => OutcomeAsync(pair, lookups[i]))).ConfigureAwait(false);

        var prices = outcomes.Where(o => o.Price is not null).Select(o => o.Price!).ToList();
        var missing = outcomes.Where(o => o.Missing is not null).Select(o => o.Missing!).ToList();
        if (prices.Count == 0 && ((Exception?)outcomes.FirstOrDefault(o => o.Refusal is not null)?.Refusal ?? outcomes.FirstOrDefault(o => o.Outage is not null)?.Outage) is { } failure)
        {
            throw failure; // nothing to give: the client should retry (after Retry-After) rather than read an empty list
        }

        return new PriceListDto { Prices = prices, Missing = missing };
    }

    private async Task<Outcome> OutcomeAsync(PricePair pair, Task<Prices.Models.PriceLookup> lookup)
    {
        try
        {
            return new Outcome(mapper.Map<PriceDto>(await lookup.ConfigureAwait(false)), null, null, null);
        }
        catch (PriceNotFoundException)
        {
            return new Outcome(null, Missing(pair, MissingPriceDto.UnknownReason), null, null);
        }
        catch (ProviderUnavailableException ex)
        {
            return new Outcome(null, Missing(pair, MissingPriceDto.UnavailableReason), ex, null);
        }
        catch (ClientQuotaExceededException ex)
        {
            return new Outcome(null, Missing(pair, MissingPriceDto.QuotaReason), null, ex);
        }
    }

    private static MissingPriceDto Missing(PricePair pair, string reason) =>
        new() { Coin = pair.Coin.Value, Currency = pair.Currency.Value, Reason = reason };

    private sealed record Outcome(PriceDto? Price, MissingPriceDto? Missing, ProviderUnavailableException? Outage, ClientQuotaExceededException? Refusal);
}
