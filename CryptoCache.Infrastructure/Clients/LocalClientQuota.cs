using CryptoCache.Application.Abstractions;

namespace CryptoCache.Infrastructure.Clients;

/// <summary>
/// Each client's sliding minute in process memory: the quota of a service without Redis, and the fallback of a replica
/// that has lost it (each replica then counts on its own). The same rule as the Redis script.
/// </summary>
internal sealed class LocalClientQuota(TimeProvider time) : IClientQuota
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Past this many clients, windows with nothing in the last minute are swept before a new one is added.</summary>
    private const int SweepAbove = 10_000;

    private readonly Dictionary<string, ClientWindow> _clients = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ValueTask<ClientQuotaDecision> TryChargeAsync(string clientId, int pairs, int maxPairsPerMinute, int maxCallsPerMinute, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var window = WindowOf(clientId, now);
            window.Trim(now - Window);
            if (maxCallsPerMinute > 0 && window.Calls.Count >= maxCallsPerMinute)
            {
                return ValueTask.FromResult(new ClientQuotaDecision(0, window.Calls.Peek() + Window - now));
            }

            var allowed = maxPairsPerMinute > 0 ? Math.Clamp(maxPairsPerMinute - window.Pairs.Count, 0, pairs) : pairs;
            for (var i = 0; i < allowed; i++)
            {
                window.Pairs.Enqueue(now);
            }

            var retryAfter = allowed < pairs ? (window.Pairs.Count > 0 ? window.Pairs.Peek() + Window - now : TimeSpan.FromSeconds(1)) : TimeSpan.Zero;
            return ValueTask.FromResult(new ClientQuotaDecision(allowed, retryAfter));
        }
    }

    public ValueTask RecordCallAsync(IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var id in clientIds)
            {
                WindowOf(id, now).Calls.Enqueue(now);
            }
        }

        return ValueTask.CompletedTask;
    }

    private ClientWindow WindowOf(string clientId, DateTimeOffset now)
    {
        if (_clients.TryGetValue(clientId, out var window))
        {
            return window;
        }

        if (_clients.Count >= SweepAbove)
        {
            foreach (var (id, _) in _clients.Where(c => c.Value.IsIdle(now - Window)).ToList())
            {
                _clients.Remove(id);
            }
        }

        return _clients[clientId] = new ClientWindow();
    }

    private sealed class ClientWindow
    {
        public Queue<DateTimeOffset> Pairs { get; } = new();

        public Queue<DateTimeOffset> Calls { get; } = new();

        public void Trim(DateTimeOffset oldest)
        {
            while (Pairs.Count > 0 && Pairs.Peek() <= oldest)
            {
                Pairs.Dequeue();
            }

            while (Calls.Count > 0 && Calls.Peek() <= oldest)
            {
                Calls.Dequeue();
            }
        }

        public bool IsIdle(DateTimeOffset oldest)
        {
            Trim(oldest);
            return Pairs.Count == 0 && Calls.Count == 0;
        }
    }
}
