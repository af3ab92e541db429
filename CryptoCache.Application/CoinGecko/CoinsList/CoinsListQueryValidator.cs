using FluentValidation;

namespace CryptoCache.Application.CoinGecko.CoinsList;

internal sealed class CoinsListQueryValidator : AbstractValidator<CoinsListQuery>
{
    public CoinsListQueryValidator() =>
        RuleFor(q => q.IncludePlatform).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.IsFlag(CoinGeckoRules.Value(v))).WithMessage("must be true or false.")
            .OverridePropertyName("include_platform");
}
