using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>
/// Wakes the waiters of a lock the moment any replica releases it: every release publishes the lock's name on one
/// channel (<see cref="RedisKeys.LockReleased"/>), and this process keeps one subscription to it. A waiter watches a
/// lock before it tries to take it, so a release in between is not missed. A lost message (a reconnect, or no
/// subscription while Redis is unreachable) costs a waiter at most <see cref="FallbackPoll"/>
/// (<c>Redis:LockPollMilliseconds</c>), after which it looks again by itself: the slow poll is a fallback only, never on
/// the path of a release that was announced.
/// </summary>
internal sealed class LockReleaseSignals(RedisConnection redis, IOptions<RedisOptions> options, TimeProvider time, ILogger<LockReleaseSignals> logger)
{
    /// <summary>How long a waiter sleeps at most before it looks again by itself.</summary>
    public TimeSpan FallbackPoll { get; } = TimeSpan.FromMilliseconds(options.Value.LockPollMilliseconds);

    /// <summary>After a failed subscription, the next attempt waits this long, so an outage costs no round trip per waiter.</summary>
    private static readonly TimeSpan RetrySubscribeAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Signal> _watched = new(StringComparer.Ordinal);
    private Task<bool>? _subscribed;
    private long _failedAt;

    /// <summary>Subscribes on first use (registration does no I/O); true once the announcements arrive here.</summary>
    public Task<bool> SubscribeAsync()
    {
        lock (_gate)
        {
            if (_subscribed is null || (_subscribed is { IsCompleted: true, Result: false } && time.GetElapsedTime(_failedAt) >= RetrySubscribeAfter))
            {
                _subscribed = TrySubscribeAsync();
            }

            return _subscribed;
        }
    }

    /// <summary>Watches the lock's next release; dispose the watcher once it no longer waits.</summary>
    public Watcher Watch(string lockName)
    {
        lock (_gate)
        {
            if (!_watched.TryGetValue(lockName, out var signal))
            {
                signal = new Signal();
                _watched[lockName] = signal;
            }

            signal.Watchers++;
            return new Watcher(this, lockName, signal, time);
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            var multiplexer = await redis.GetAsync().ConfigureAwait(false);
            await multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.LockReleased), (_, message) => OnReleased(message)).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Volatile.Write(ref _failedAt, time.GetTimestamp());
            InfrastructureLog.LockSignalsUnavailable(logger, ex.GetType().Name, FallbackPoll.TotalMilliseconds);
            return false;
        }
    }

    private void OnReleased(RedisValue message)
    {
        foreach (var name in ((string?)message ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Signal? signal;
            lock (_gate)
            {
                _watched.Remove(name, out signal);
            }

            signal?.Released.TrySetResult();
        }
    }

    private void Unwatch(string lockName, Signal signal)
    {
        lock (_gate)
        {
            if (--signal.Watchers == 0 && _watched.TryGetValue(lockName, out var current) && current == signal)
            {
                _watched.Remove(lockName);
            }
        }
    }

    internal sealed class Signal
    {
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Watchers { get; set; }
    }

    /// <summary>One waiter's interest in a lock's next release.</summary>
    internal sealed class Watcher : IDisposable
    {
        private readonly LockReleaseSignals _owner;
        private readonly string _lockName;
        private readonly Signal _signal;
        private readonly TimeProvider _time;
        private int _disposed;

        public Watcher(LockReleaseSignals owner, string lockName, Signal signal, TimeProvider time)
        {
            _owner = owner;
            _lockName = lockName;
            _signal = signal;
            _time = time;
        }

        /// <summary>Completes when the lock is announced released, or after <paramref name="atMost"/>, whichever comes first.</summary>
        public async Task WaitAsync(TimeSpan atMost, CancellationToken cancellationToken)
        {
            if (atMost <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await _signal.Released.Task.WaitAsync(atMost, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Not announced in time: the caller looks for itself.
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Unwatch(_lockName, _signal);
            }
        }
    }
}
