using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>
/// FusionCache's cross-replica factory lock on Redis (SET NX PX, released by a compare-and-delete script).
/// Written here rather than taken from FusionCache.Locking.Distributed.Redis because that one waits with
/// DistributedLock.Redis's randomised sleeps of up to 800 ms, which would answer a herd's waiters far later than the
/// provider answers; this one polls every <see cref="PollInterval"/>. When Redis is unreachable it reports no lock at
/// once, so the factory runs under the in-process lock only.
/// </summary>
internal sealed class RedisLocker(RedisConnection redis, ILogger<RedisLocker> log) : IFusionCacheDistributedLocker
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>A holder that crashes frees its lock after this long.</summary>
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(30);

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async ValueTask<object?> AcquireLockAsync(string cacheName, string cacheInstanceId, string operationId, string key, string lockName, TimeSpan timeout, ILogger? logger, CancellationToken token)
    {
        var holder = new Holder(lockName, Guid.NewGuid().ToString("N"));
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            while (true)
            {
                if (await database.StringSetAsync(lockName, holder.Token, AbandonAfter, When.NotExists).ConfigureAwait(false))
                {
                    return holder;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    InfrastructureLog.LockUnavailable(log, lockName, "timeout");
                    return null;
                }

                await Task.Delay(PollInterval, token).ConfigureAwait(false);
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
            await database.ScriptEvaluateAsync(ReleaseScript, [(RedisKey)holder.LockName], [holder.Token]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lock expires by itself after AbandonAfter.
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
