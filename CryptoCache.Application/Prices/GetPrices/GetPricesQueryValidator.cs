using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Currencies;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices.GetPrices;

internal sealed class GetPricesQueryValidator : AbstractValidator<GetPricesQuery>
{
    public GetPricesQueryValidator(CurrencyCatalog currencies, IOptions<PricesOptions> options)
    {
        var limits = options.Value;

        RuleFor(q => PriceRules.SplitList(q.Coins)).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("List one or more coin ids, comma-separated.")
            .Must(list => list.Distinct(StringComparer.OrdinalIgnoreCase).Count() <= limits.MaxBatchCoins)
            .WithMessage($"At most {limits.MaxBatchCoins} coins per request.")
            .ForEach(item => item.MustBeCoinId())
            .OverridePropertyName("coins");

        RuleFor(q => PriceRules.SplitList(q.Currencies)).Cascade(CascadeMode.Stop)
            .Must(list => list.Distinct(StringComparer.OrdinalIgnoreCase).Count() <= limits.MaxBatchCurrencies)
            .WithMessage($"At most {limits.MaxBatchCurrencies} currencies per request.")
            .ForEach(item => item.MustBeSupportedCurrency(currencies))
            .OverridePropertyName("currencies");
    }
}
