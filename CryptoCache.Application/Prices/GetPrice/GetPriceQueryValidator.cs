using CryptoCache.Application.Behaviours;
using CryptoCache.Application.Currencies;
using CryptoCache.Domain;
using FluentValidation;

namespace CryptoCache.Application.Prices.GetPrice;

internal sealed class GetPriceQueryValidator : AbstractValidator<GetPriceQuery>, IValidationShortcut<GetPriceQuery>
{
    private readonly CurrencyCatalog _currencies;

    public GetPriceQueryValidator(CurrencyCatalog currencies)
    {
        _currencies = currencies;
        RuleFor(q => q.Coin).MustBeCoinId().When(q => q.Coin is not null).OverridePropertyName("coin");
        RuleFor(q => q.Currency).MustBeSupportedCurrency(currencies).When(q => q.Currency is not null).OverridePropertyName("currency");
    }

    /// <summary>The rules above, for the usual case: a well-formed coin id, and a currency in the list at hand.</summary>
    public bool IsCertainlyValid(GetPriceQuery request) =>
        (request.Coin is null || CoinId.IsValid(request.Coin))
        && (request.Currency is null || PriceRules.IsKnownSupportedCurrency(_currencies, request.Currency));
}
