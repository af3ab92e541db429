using CryptoCache.Application.Abstractions;

namespace CryptoCache.Infrastructure.Budget;

/// <summary>Decides whether one more provider call may go out now. Every attempt, retries included, asks it.</summary>
internal interface IProviderBudget
{
    ValueTask<BudgetDecision> TryAcquireAsync(CancellationToken cancellationToken);

    /// <summary>Stops every replica from calling the provider for <paramref name="pause"/>.</summary>
    ValueTask PauseAsync(TimeSpan pause, CancellationToken cancellationToken);

    /// <summary>The budget now, without spending any of it.</summary>
    ValueTask<ProviderBudget> PeekAsync(CancellationToken cancellationToken);

    /// <summary>Calls allowed in any 60 s: the shared limit, or this replica's fallback limit while Redis is unreachable.</summary>
    int Limit { get; }

    /// <summary>Calls left in the current minute as of the last decision, where known; for metrics and the admin view.</summary>
    int? LastKnownRemaining { get; }
}
