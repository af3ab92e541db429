using CryptoCache.Application.Behaviours;
using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.CoinGecko.SimplePrice;

internal sealed class SimplePriceQueryValidator : AbstractValidator<SimplePriceQuery>, IValidationShortcut<SimplePriceQuery>
{
    private readonly CoinGeckoApiOptions _options;

    public SimplePriceQueryValidator(IOptions<CoinGeckoApiOptions> options)
    {
        _options = options.Value;
        var max = options.Value.MaxIds;

        RuleFor(q => q.Ids).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Count(v) <= max).WithMessage($"at most {max} ids per request.")
            .Must(v => CoinGeckoRules.All(v, CoinId.IsValid)).WithMessage("each id must be a CoinGecko coin id: letters, digits and hyphens, 1-100 characters.")
            .OverridePropertyName("ids");
        RuleFor(q => q.Names).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Count(v) <= max).WithMessage($"at most {max} names per request.")
            .Must(v => CoinGeckoRules.All(v, static n => CoinGeckoRules.IsPrintableAscii(n, CoinGeckoRules.MaxNameLength)))
            .WithMessage($"each name must be printable ASCII, 1-{CoinGeckoRules.MaxNameLength} characters.")
            .OverridePropertyName("names");
        RuleFor(q => q.Symbols).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Count(v) <= max).WithMessage($"at most {max} symbols per request.")
            .Must(v => CoinGeckoRules.All(v, static s => CoinGeckoRules.IsPrintableAscii(s, CoinGeckoRules.MaxNameLength)))
            .WithMessage($"each symbol must be printable ASCII, 1-{CoinGeckoRules.MaxNameLength} characters.")
            .OverridePropertyName("symbols");
        RuleFor(q => q.IncludeTokens).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Value(v) is null or "top" or "all").WithMessage("must be top or all.")
            .OverridePropertyName("include_tokens");
        RuleFor(q => q)
            .Must(q => CoinGeckoRules.Count(q.Ids) + CoinGeckoRules.Count(q.Names) + CoinGeckoRules.Count(q.Symbols) > 0)
            .WithMessage("missing or empty; name coins with ids, names or symbols.")
            .OverridePropertyName("ids");
        RuleFor(q => q)
            .Must(q => !q.AllTokens || CoinGeckoRules.Count(q.Symbols) <= CoinGeckoRules.MaxSymbolsWithAll)
            .WithMessage($"at most {CoinGeckoRules.MaxSymbolsWithAll} symbols with include_tokens=all.")
            .OverridePropertyName("symbols");
        this.QuoteParameters(options.Value.MaxVsCurrencies);
    }

    /// <summary>
    /// The rules above for the usual request, coins by <c>ids</c> (no names, symbols or include_tokens), checked
    /// without FluentValidation's machinery (about 1.4 µs and 0.7 KB a cached answer, by bench/profile.sh --v3); anything
    /// else goes to the rules, which alone word the errors.
    /// </summary>
    public bool IsCertainlyValid(SimplePriceQuery request) =>
        request is { Names: null, Symbols: null, IncludeTokens: null, Ids.Count: 1 }
        && CoinGeckoRules.Count(request.Ids) is var ids && ids > 0 && ids <= _options.MaxIds
        && CoinGeckoRules.All(request.Ids, CoinId.IsValid)
        && CoinGeckoRules.AreValidQuoteParameters(request, _options.MaxVsCurrencies);
}
