using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>
/// The price provider (CoinGecko) with its limits: how many ids fit in one call, and the call budget shared by every
/// replica. Every call costs budget; the provider decides whether one may go out.
/// </summary>
public interface IPriceProvider
{
    /// <summary>Most coin ids one call may carry by count alone; <see cref="Partition"/> also applies the URL length.</summary>
    int MaxIdsPerCall { get; }

    /// <summary>Longest a call may take, retries included: how long a waiter for another replica's call should wait.</summary>
    TimeSpan CallTimeout { get; }

    /// <summary>Cuts coins into groups that each fit in one call, keeping their order.</summary>
    IReadOnlyList<IReadOnlyList<CoinId>> Partition(IReadOnlyList<CoinId> coins);

    /// <summary>The budget as of the last call, without asking anyone; cheap enough for every batch.</summary>
    ProviderBudget LastKnownBudget { get; }

    /// <summary>The budget now (one round trip to the shared budget).</summary>
    ValueTask<ProviderBudget> ReadBudgetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Asks for the full quote of every coin in every currency in one call. A pair the provider does not know is absent
    /// from the result.
    /// </summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<PriceQuote>> GetPricesAsync(IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, ProviderPurpose purpose, CancellationToken cancellationToken);

    /// <summary>The quote currencies the provider supports, lower-case.</summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<string>> GetSupportedCurrenciesAsync(CancellationToken cancellationToken);
}
