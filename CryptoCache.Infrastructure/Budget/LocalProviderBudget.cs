using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.CoinGecko;
using Microsoft.Extensions.Options;

namespace CryptoCache.Infrastructure.Budget;

/// <summary>The budget of a service running without Redis: one process, so the whole budget is its own.</summary>
internal sealed class LocalProviderBudget(IOptions<ProviderLimitsOptions> options, TimeProvider time) : IProviderBudget
{
    private readonly SlidingWindowLimiter _limiter = new(options.Value.MaxCallsPerMinute, time);

    public int Limit => options.Value.MaxCallsPerMinute;

    public ValueTask<BudgetDecision> TryAcquireAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_limiter.TryAcquire());

    public ValueTask PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        _limiter.Pause(pause);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ProviderBudget> PeekAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_limiter.Peek());

    public int? LastKnownRemaining => _limiter.Remaining();
}
