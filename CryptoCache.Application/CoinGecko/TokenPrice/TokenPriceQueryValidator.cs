using CryptoCache.Application.Common.Options;
using CryptoCache.Domain;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.CoinGecko.TokenPrice;

internal sealed class TokenPriceQueryValidator : AbstractValidator<TokenPriceQuery>
{
    public TokenPriceQueryValidator(IOptions<CoinGeckoApiOptions> options)
    {
        var max = options.Value.MaxIds;

        // Platform ids are spelled like coin ids (ethereum, binance-smart-chain).
        RuleFor(q => q.Platform)
            .Must(p => CoinId.TryFrom(p, out _)).WithMessage("must be an asset platform id: letters, digits and hyphens.")
            .OverridePropertyName("platform");
        RuleFor(q => q.ContractAddresses).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => CoinGeckoRules.Count(v) > 0).WithMessage("missing or empty; name one or more contract addresses.")
            .Must(v => CoinGeckoRules.Count(v) <= max).WithMessage($"at most {max} contract addresses per request.")
            .Must(v => CoinGeckoRules.All(v, CoinGeckoRules.IsContractAddress)).WithMessage("each address must be 0x followed by 40 hex digits.")
            .OverridePropertyName("contract_addresses");
        this.QuoteParameters(options.Value.MaxVsCurrencies);
    }
}
