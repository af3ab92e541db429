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
    /// Takes one price call's budget now, ahead of the call (one round trip to the shared budget, which can go together
    /// with other work), unless no more calls are left than <paramref name="keptBack"/> gives for the budget's limit:
    /// then nothing is taken and the reservation says so. Nothing is taken either while the budget is spent or paused:
    /// the call itself is then refused with the real retry-after. A reservation that holds a call is spent by the
    /// <see cref="GetPricesAsync"/> given it, or given back by <see cref="CancelReservationAsync"/>.
    /// </summary>
    ValueTask<CallReservation> ReserveCallAsync(Func<int, int> keptBack, CancellationToken cancellationToken);

    /// <summary>Gives back a reservation no call spent (a no-op for one that holds none, or that a call has spent).</summary>
    ValueTask CancelReservationAsync(CallReservation reservation, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for the full quote of every coin in every currency in one call. A pair the provider does not know is absent
    /// from the result. With a <paramref name="reservation"/> that holds a call, the call's first attempt spends it
    /// instead of asking the budget (a retry asks it); if no attempt went out, it is given back.
    /// </summary>
    /// <exception cref="Common.Exceptions.ProviderUnavailableException">The provider failed, refused or could not be asked.</exception>
    Task<IReadOnlyList<PriceQuote>> GetPricesAsync(
        IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, ProviderPurpose purpose, CallReservation? reservation, CancellationToken cancellationToken);

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
