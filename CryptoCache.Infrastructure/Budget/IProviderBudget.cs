using CryptoCache.Application.Abstractions;

namespace CryptoCache.Infrastructure.Budget;

/// <summary>Decides whether one more provider call may go out now. Every attempt, retries included, asks it.</summary>
internal interface IProviderBudget
{
    ValueTask<BudgetDecision> TryAcquireAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes one call ahead of the call, unless no more are left than <paramref name="keptBack"/> gives for the limit
    /// (then the reservation is kept back), or the budget is spent or paused (then nothing is taken, and the call asks
    /// the budget itself, to be refused with the real retry-after). The handle is a <see cref="PrepaidCall"/>, or null
    /// where paying ahead saves nothing (a budget in process memory).
    /// </summary>
    ValueTask<CallReservation> ReserveAsync(Func<int, int> keptBack, CancellationToken cancellationToken);

    /// <summary>Gives back a call taken ahead that no attempt spent.</summary>
    ValueTask CancelAsync(PrepaidCall call, CancellationToken cancellationToken);

    /// <summary>Stops every replica from calling the provider for <paramref name="pause"/>.</summary>
    ValueTask PauseAsync(TimeSpan pause, CancellationToken cancellationToken);

    /// <summary>The budget now, without spending any of it.</summary>
    ValueTask<ProviderBudget> PeekAsync(CancellationToken cancellationToken);

    /// <summary>Calls allowed in any 60 s: the shared limit, or this replica's fallback limit while Redis is unreachable.</summary>
    int Limit { get; }

    /// <summary>Calls left in the current minute as of the last decision, where known; for metrics and the admin view.</summary>
    int? LastKnownRemaining { get; }
}
