using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Logging;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Application.CoinGecko.TokenPrice;

internal sealed class TokenPriceQueryHandler(TokenPriceResolver resolver, CoinCatalog coins, CurrencyCatalog currencies, ILogger<TokenPriceQueryHandler> logger)
    : IRequestHandler<TokenPriceQuery, CoinGeckoPriceMap>
{
    public async Task<CoinGeckoPriceMap> Handle(TokenPriceQuery request, CancellationToken cancellationToken)
    {
        var platform = request.Platform!.ToLowerInvariant();
        try
        {
            var index = await coins.GetIndexAsync(cancellationToken).ConfigureAwait(false);
            if (!index.Platforms.Contains(platform))
            {
                throw new AssetPlatformNotFoundException();
            }
        }
        catch (ProviderUnavailableException ex)
        {
            // The platform cannot be checked now; the price call itself will tell whether anything is known.
            ApplicationLog.CoinsListUnavailable(logger, ex.Failure);
        }

        var wanted = await SimplePriceQueryHandler.SupportedCurrenciesAsync(currencies, request.VsCurrencies, cancellationToken).ConfigureAwait(false);
        var addresses = CoinGeckoRules.Items(request.ContractAddresses).Select(a => a.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
        {
            return new CoinGeckoPriceMap([], null);
        }

        var quotes = await resolver.ResolveAsync(platform, addresses, wanted, cancellationToken).ConfigureAwait(false);
        var flags = QuoteFlags.From(request);
        var entries = new List<CoinGeckoPriceEntry>();
        CacheFreshness? freshness = null;
        var slots = new QuoteView?[wanted.Length];
        foreach (var address in addresses)
        {
            for (var i = 0; i < wanted.Length; i++)
            {
                slots[i] = quotes.TryGetValue(new Abstractions.TokenPair(platform, address, wanted[i]), out var quote) ? quote : null;
                if (slots[i] is { } view)
                {
                    freshness = freshness?.With(view.Freshness) ?? view.Freshness;
                }
            }

            var fields = CoinGeckoRules.Fields(slots, wanted, flags);
            if (fields.Length == 0)
            {
                continue; // unknown contract: simply absent
            }

            entries.Add(new CoinGeckoPriceEntry(address, fields));
        }

        return new CoinGeckoPriceMap(entries, freshness);
    }
}
