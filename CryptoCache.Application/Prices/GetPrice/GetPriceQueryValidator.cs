using CryptoCache.Application.Currencies;
using FluentValidation;

namespace CryptoCache.Application.Prices.GetPrice;

internal sealed class GetPriceQueryValidator : AbstractValidator<GetPriceQuery>
{
    public GetPriceQueryValidator(CurrencyCatalog currencies)
    {
        RuleFor(q => q.Coin).MustBeCoinId().When(q => q.Coin is not null).OverridePropertyName("coin");
        RuleFor(q => q.Currency).MustBeSupportedCurrency(currencies).When(q => q.Currency is not null).OverridePropertyName("currency");
    }
}
