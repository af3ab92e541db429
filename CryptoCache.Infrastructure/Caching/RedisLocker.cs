using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>
/// FusionCache's cross-replica factory lock on Redis (SET NX PX, released by a compare-and-delete script that announces
/// the release). Written here rather than taken from FusionCache.Locking.Distributed.Redis because that one waits with
/// DistributedLock.Redis's randomised sleeps of up to 800 ms, which would answer a herd's waiters far later than the
/// provider answers. Here a waiter sleeps until the release is announced (<see cref="LockReleaseSignals"/>), and tries
/// again by itself only every <see cref="LockReleaseSignals.FallbackPoll"/> (<c>Redis:LockPollMilliseconds</c>) should the announcement be lost. When Redis
/// is unreachable it reports no lock at once, so the factory runs under the in-process lock only.
/// </summary>
internal sealed class RedisLocker(RedisConnection redis, LockReleaseSignals signals, ILogger<RedisLocker> log) : IFusionCacheDistributedLocker
{
    public async ValueTask<object?> AcquireLockAsync(string cacheName, string cacheInstanceId, string operationId, string key, string lockName, TimeSpan timeout, ILogger? logger, CancellationToken token)
    {
        var holder = new Holder(lockName, Guid.NewGuid().ToString("N"));
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await signals.SubscribeAsync().ConfigureAwait(false);
            while (true)
            {
                // Watched before the attempt, so that a release between a failed attempt and the wait still wakes it.
                using var watcher = signals.Watch(lockName);
                if (await database.StringSetAsync(lockName, holder.Token, LockScripts.AbandonAfter, When.NotExists).ConfigureAwait(false))
                {
                    return holder;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    InfrastructureLog.LockUnavailable(log, lockName, "timeout");
                    return null;
                }

                await watcher.WaitAsync(left < signals.FallbackPoll ? left : signals.FallbackPoll, token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            InfrastructureLog.LockUnavailable(log, lockName, ex.GetType().Name);
            return null;
        }
    }

    public async ValueTask ReleaseLockAsync(string cacheName, string cacheInstanceId, string operationId, string key, string lockName, object? lockObj, ILogger? logger, CancellationToken token)
    {
        if (lockObj is not Holder holder)
        {
            return;
        }

        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await database.ScriptEvaluateAsync(LockScripts.Release, [(RedisKey)holder.LockName], [holder.Token, RedisKeys.LockReleased]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lock expires by itself after LockScripts.AbandonAfter; its waiters look again every fallback interval.
            InfrastructureLog.LockUnavailable(log, lockName, ex.GetType().Name);
        }
    }

    // FusionCache calls the synchronous pair only from its synchronous API, which this service does not use.
    public object? AcquireLock(string cacheName, string cacheInstanceId, string operationId, string key, string lockName, TimeSpan timeout, ILogger? logger, CancellationToken token) =>
        AcquireLockAsync(cacheName, cacheInstanceId, operationId, key, lockName, timeout, logger, token).AsTask().GetAwaiter().GetResult();

    public void ReleaseLock(string cacheName, string cacheInstanceId, string operationId, string key, string lockName, object? lockObj, ILogger? logger, CancellationToken token) =>
        ReleaseLockAsync(cacheName, cacheInstanceId, operationId, key, lockName, lockObj, logger, token).AsTask().GetAwaiter().GetResult();

    private sealed record Holder(string LockName, string Token);
}
