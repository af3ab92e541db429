using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Logging;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Application.Currencies;

/// <summary>The provider's supported quote currencies, cached like a price.</summary>
internal sealed class CurrencyCatalog(IPriceRepository repository, IPriceClient client, ILogger<CurrencyCatalog> logger)
{
    /// <exception cref="ProviderUnavailableException">No list is cached and the provider cannot be asked.</exception>
    public ValueTask<IReadOnlyList<string>> GetAsync(CancellationToken cancellationToken) =>
        repository.GetOrFetchCurrenciesAsync(client.GetSupportedCurrenciesAsync, cancellationToken);

    /// <summary>
    /// True or false when the list is known; null when it cannot be had, in which case the code's shape has
    /// already been checked and the price lookup will report the outage.
    /// </summary>
    public async ValueTask<bool?> IsSupportedAsync(string currency, CancellationToken cancellationToken)
    {
        try
        {
            var supported = await GetAsync(cancellationToken).ConfigureAwait(false);
            return supported.Contains(currency, StringComparer.Ordinal);
        }
        catch (ProviderUnavailableException ex)
        {
            ApplicationLog.CurrencyListUnavailable(logger, ex.Failure);
            return null;
        }
    }
}
