using CryptoCache.Application.Prices;
using CryptoCache.Domain;
using FluentValidation;

namespace CryptoCache.Application.Admin.PurgePrices;

internal sealed class PurgePricesCommandValidator : AbstractValidator<PurgePricesCommand>
{
    public PurgePricesCommandValidator()
    {
        RuleFor(c => c.Coin).MustBeCoinId().OverridePropertyName("coin");
        RuleFor(c => c.Currency).Must(c => Currency.TryFrom(c, out _)).WithMessage(PriceRules.CurrencyShapeMessage)
            .When(c => c.Currency is not null).OverridePropertyName("currency");
    }
}
