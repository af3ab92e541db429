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

    /// <summary>Taking the call here costs no round trip, so nothing is taken ahead: the call takes it as it goes.</summary>
    public ValueTask<CallReservation> ReserveAsync(Func<int, int> keptBack, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_limiter.Reserve(keptBack));

    public ValueTask CancelAsync(PrepaidCall call, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        _limiter.Pause(pause);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ProviderBudget> PeekAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_limiter.Peek());

    public int? LastKnownRemaining => _limiter.Remaining();
}
