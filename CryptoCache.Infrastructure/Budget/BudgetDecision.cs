using CryptoCache.Application.Common.Exceptions;

namespace CryptoCache.Infrastructure.Budget;

internal readonly record struct BudgetDecision(bool Allowed, ProviderFailure Failure, TimeSpan RetryAfter)
{
    public static BudgetDecision Allow { get; } = new(true, default, TimeSpan.Zero);

    public static BudgetDecision Spent(TimeSpan retryAfter) => new(false, ProviderFailure.BudgetExhausted, retryAfter);

    public static BudgetDecision Paused(TimeSpan retryAfter) => new(false, ProviderFailure.RateLimited, retryAfter);
}
