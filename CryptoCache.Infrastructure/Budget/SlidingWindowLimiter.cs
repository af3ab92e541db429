using CryptoCache.Application.Abstractions;

namespace CryptoCache.Infrastructure.Budget;

/// <summary>
/// At most N calls in any 60 s, in process memory, with a pause that a 429 can set. The same rule as the Redis
/// script, for a service without Redis and for a replica that has lost it.
/// </summary>
internal sealed class SlidingWindowLimiter(int maxCalls, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<DateTimeOffset> _calls = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _pausedUntil;

    public BudgetDecision TryAcquire()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_pausedUntil > now)
            {
                return BudgetDecision.Paused(_pausedUntil - now);
            }

            Trim(now);
            if (_calls.Count >= maxCalls)
            {
                return BudgetDecision.Spent(_calls.Peek() + Window - now);
            }

            _calls.Enqueue(now);
            return BudgetDecision.Allow;
        }
    }

    public void Pause(TimeSpan pause)
    {
        var until = time.GetUtcNow() + pause;
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    public int Limit => maxCalls;

    public ProviderBudget Peek()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Trim(now);
            return new ProviderBudget(maxCalls, Math.Max(0, maxCalls - _calls.Count), _pausedUntil > now);
        }
    }

    /// <summary>
    /// Nothing taken (a call here takes its own without a round trip); kept back when no more calls are left than
    /// <paramref name="keptBack"/> gives for the limit, as the Redis budget decides it.
    /// </summary>
    public CallReservation Reserve(Func<int, int> keptBack)
    {
        var budget = Peek();
        return budget is { Paused: false, Remaining: > 0 and var remaining } && remaining <= keptBack(maxCalls)
            ? new CallReservation(budget, KeptBack: true, null)
            : CallReservation.None(budget);
    }

    public int Remaining()
    {
        lock (_gate)
        {
            Trim(time.GetUtcNow());
            return Math.Max(0, maxCalls - _calls.Count);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        while (_calls.Count > 0 && _calls.Peek() <= now - Window)
        {
            _calls.Dequeue();
        }
    }
}
