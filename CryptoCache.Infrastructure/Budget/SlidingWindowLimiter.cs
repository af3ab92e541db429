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
