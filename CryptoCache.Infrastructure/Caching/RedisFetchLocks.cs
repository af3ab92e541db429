using CryptoCache.Application.Abstractions;
using CryptoCache.Domain;
using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>
/// A batch's fetch locks on Redis: the locks of all its pairs taken by one script (<see cref="LockScripts.Claim"/>) and
/// released by another that announces them (<see cref="LockScripts.Release"/>). They are the locks
/// <see cref="RedisLocker"/> takes for the cache's factory, so the two exclude each other. A pair another replica holds
/// is watched before the claim is sent, so its release wakes the waiter here at once. When Redis is unreachable every
/// pair is granted, as <see cref="RedisLocker"/> reports no lock: the batch then goes under the in-process protection only.
/// </summary>
internal sealed class RedisFetchLocks(RedisConnection redis, LockReleaseSignals signals, ILogger<RedisFetchLocks> logger) : IFetchLocks
{
    private static readonly RedisValue AbandonAfterMs = (long)LockScripts.AbandonAfter.TotalMilliseconds;

    public async ValueTask<FetchClaim> ClaimAsync(IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> lookUp, CancellationToken cancellationToken)
    {
        if (pairs.Count == 0)
        {
            return FetchClaim.All(pairs);
        }

        var ordered = pairs.ToArray();
        var watchers = new LockReleaseSignals.Watcher?[ordered.Length];
        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await signals.SubscribeAsync().ConfigureAwait(false);
            var lookedUp = lookUp.ToArray();
            var keys = new RedisKey[(ordered.Length * 2) + lookedUp.Length];
            for (var i = 0; i < ordered.Length; i++)
            {
                var lockName = RedisKeys.PriceLock(ordered[i]);
                watchers[i] = signals.Watch(lockName);
                keys[2 * i] = lockName;
                keys[(2 * i) + 1] = RedisKeys.PriceEntry(ordered[i]);
            }

            for (var i = 0; i < lookedUp.Length; i++)
            {
                keys[(ordered.Length * 2) + i] = RedisKeys.PriceEntry(lookedUp[i]);
            }

            var token = Guid.NewGuid().ToString("N");
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(LockScripts.Claim, keys, [token, AbandonAfterMs, ordered.Length]).ConfigureAwait(false))!;
            var uncached = new HashSet<PricePair>();
            for (var i = 0; i < lookedUp.Length; i++)
            {
                if ((int)result[ordered.Length + i] == 0)
                {
                    uncached.Add(lookedUp[i]);
                }
            }

            var granted = new HashSet<PricePair>();
            var cached = new HashSet<PricePair>();
            var held = new Dictionary<PricePair, Task>();
            for (var i = 0; i < ordered.Length; i++)
            {
                switch ((int)result[i])
                {
                    case 0:
                        held[ordered[i]] = WhenReleasedAsync(watchers[i]!);
                        watchers[i] = null; // disposed once released
                        break;
                    case 2:
                        cached.Add(ordered[i]);
                        granted.Add(ordered[i]);
                        break;
                    default:
                        granted.Add(ordered[i]);
                        break;
                }
            }

            return new FetchClaim(granted, cached, held, token, uncached);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            InfrastructureLog.FetchLocksUnavailable(logger, ordered.Length, ex.GetType().Name);
            return FetchClaim.All(pairs);
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher?.Dispose();
            }
        }
    }

    public async ValueTask ReleaseAsync(FetchClaim claim, IReadOnlyCollection<PricePair>? pairs, CancellationToken cancellationToken)
    {
        if (claim.Handle is not string token)
        {
            return;
        }

        var keys = (pairs ?? claim.Granted).Where(claim.Granted.Contains).Select(p => (RedisKey)RedisKeys.PriceLock(p)).ToArray();
        if (keys.Length == 0)
        {
            return;
        }

        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await database.ScriptEvaluateAsync(LockScripts.Release, keys, [token, RedisKeys.LockReleased]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The locks expire by themselves after LockScripts.AbandonAfter; waiters look again every fallback interval.
            InfrastructureLog.FetchLocksUnavailable(logger, keys.Length, ex.GetType().Name);
        }
    }

    private async Task WhenReleasedAsync(LockReleaseSignals.Watcher watcher)
    {
        using (watcher)
        {
            await watcher.WaitAsync(signals.FallbackPoll, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
