namespace CryptoCache.Application.Abstractions;

/// <summary>
/// One price call's budget, asked for ahead of the call (<see cref="IPriceProvider.ReserveCallAsync"/>) so that its round
/// trip to the shared budget can go together with other work instead of after it.
/// </summary>
/// <param name="Budget">The budget as the reservation found it.</param>
/// <param name="KeptBack">Nothing was taken: no more calls are left than the ones to be kept back.</param>
/// <param name="Handle">
/// The provider's own token for a call paid for already: the price call given it spends it, or
/// <see cref="IPriceProvider.CancelReservationAsync"/> gives it back. Null when nothing was taken (kept back, the budget
/// spent or paused, or a budget with nothing to gain from paying ahead): the call then asks the budget itself.
/// </param>
public sealed record CallReservation(ProviderBudget Budget, bool KeptBack, object? Handle)
{
    /// <summary>Nothing taken, nothing kept back: the call asks the budget itself.</summary>
    public static CallReservation None(ProviderBudget budget) => new(budget, false, null);
}
