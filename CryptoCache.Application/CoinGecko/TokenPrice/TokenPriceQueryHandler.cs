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

        var wanted = await SimplePriceQueryHandler.SupportedCurrenciesAsync(currencies, CoinGeckoRules.Items(request.VsCurrencies), cancellationToken).ConfigureAwait(false);
        var addresses = CoinGeckoRules.Items(request.ContractAddresses).Select(a => a.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Count == 0)
        {
            return new CoinGeckoPriceMap([], null);
        }

        var quotes = await resolver.ResolveAsync(platform, addresses, wanted, cancellationToken).ConfigureAwait(false);
        var flags = QuoteFlags.From(request);
        var entries = new List<CoinGeckoPriceEntry>();
        var freshness = new List<CacheFreshness>();
        foreach (var address in addresses)
        {
            var found = wanted
                .Select(c => (Currency: c, Found: quotes.TryGetValue(new Abstractions.TokenPair(platform, address, c), out var q), Quote: q!))
                .Where(x => x.Found)
                .Select(x => (x.Currency, x.Quote))
                .ToList();
            if (found.Count == 0)
            {
                continue; // unknown contract: simply absent
            }

            entries.Add(new CoinGeckoPriceEntry(address, CoinGeckoRules.Fields(found, flags)));
            freshness.AddRange(found.Select(f => f.Quote.Freshness));
        }

        return new CoinGeckoPriceMap(entries, CacheFreshness.Combine(freshness));
    }
}
