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

    /// <summary>True while the last call failed and the provider's retry-after has not passed: background work waits.</summary>
    bool IsFailing { get; }

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

    /// <summary>
    /// The provider's whole coin list with every coin's contract addresses (always asked with <c>include_platform=true</c>,
    /// so one cached list serves both views of it).
    /// </summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<CoinListing>> GetCoinsListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The full quote of every token contract on <paramref name="platform"/> in every currency. The provider's URL
    /// limits are applied inside (several calls if needed). A contract the provider does not know is absent.
    /// </summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<TokenQuote>> GetTokenPricesAsync(string platform, IReadOnlyCollection<string> addresses, IReadOnlyCollection<Currency> currencies, CancellationToken cancellationToken);
}
