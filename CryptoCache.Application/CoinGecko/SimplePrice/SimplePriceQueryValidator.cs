using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.CoinGecko.SimplePrice;

internal sealed class SimplePriceQueryValidator : AbstractValidator<SimplePriceQuery>
{
    public SimplePriceQueryValidator(IOptions<CoinGeckoApiOptions> options)
    {
        var max = options.Value.MaxIds;

        RuleFor(q => q.Ids).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Items(v).Length <= max).WithMessage($"at most {max} ids per request.")
            .Must(v => CoinGeckoRules.Items(v).All(id => CoinId.TryFrom(id, out _))).WithMessage("each id must be a CoinGecko coin id: letters, digits and hyphens, 1-100 characters.")
            .OverridePropertyName("ids");
        RuleFor(q => q.Names).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Items(v).Length <= max).WithMessage($"at most {max} names per request.")
            .Must(v => CoinGeckoRules.Items(v).All(n => CoinGeckoRules.IsPrintableAscii(n, CoinGeckoRules.MaxNameLength)))
            .WithMessage($"each name must be printable ASCII, 1-{CoinGeckoRules.MaxNameLength} characters.")
            .OverridePropertyName("names");
        RuleFor(q => q.Symbols).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Items(v).Length <= max).WithMessage($"at most {max} symbols per request.")
            .Must(v => CoinGeckoRules.Items(v).All(s => CoinGeckoRules.IsPrintableAscii(s, CoinGeckoRules.MaxNameLength)))
            .WithMessage($"each symbol must be printable ASCII, 1-{CoinGeckoRules.MaxNameLength} characters.")
            .OverridePropertyName("symbols");
        RuleFor(q => q.IncludeTokens).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Value(v) is null or "top" or "all").WithMessage("must be top or all.")
            .OverridePropertyName("include_tokens");
        RuleFor(q => q)
            .Must(q => CoinGeckoRules.Items(q.Ids).Length + CoinGeckoRules.Items(q.Names).Length + CoinGeckoRules.Items(q.Symbols).Length > 0)
            .WithMessage("missing or empty; name coins with ids, names or symbols.")
            .OverridePropertyName("ids");
        RuleFor(q => q)
            .Must(q => !q.AllTokens || CoinGeckoRules.Items(q.Symbols).Length <= CoinGeckoRules.MaxSymbolsWithAll)
            .WithMessage($"at most {CoinGeckoRules.MaxSymbolsWithAll} symbols with include_tokens=all.")
            .OverridePropertyName("symbols");
        this.QuoteParameters(options.Value.MaxVsCurrencies);
    }
}
