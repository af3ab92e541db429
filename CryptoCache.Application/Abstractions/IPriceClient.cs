using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>The price provider (CoinGecko). Every call costs the shared provider budget.</summary>
public interface IPriceClient
{
    /// <summary>
    /// Asks for every coin in every currency in one call. A pair the provider does not know is absent from the result.
    /// </summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<PriceQuote>> GetPricesAsync(IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, CancellationToken cancellationToken);

    /// <summary>The quote currencies the provider supports, lower-case.</summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<string>> GetSupportedCurrenciesAsync(CancellationToken cancellationToken);
}
