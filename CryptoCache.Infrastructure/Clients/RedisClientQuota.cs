using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Clients;

/// <summary>
/// Each client's sliding minute shared by every replica: two sorted sets per client (cold pairs, and the provider calls
/// its misses rode on), checked and written by one Lua script per request's cold misses, on Redis's clock. Hits never
/// reach it. While Redis is unreachable each replica counts on its own (<see cref="LocalClientQuota"/>).
/// </summary>
internal sealed class RedisClientQuota(RedisConnection redis, TimeProvider time, ILogger<RedisClientQuota> logger) : IClientQuota
{
    // KEYS[1] pairs, KEYS[2] calls; ARGV[1] pairs asked, ARGV[2] max pairs (0: none), ARGV[3] max calls (0: none),
    // ARGV[4] window ms, ARGV[5] unique member prefix. Returns {pairs allowed, retry-after ms}.
    private const string ChargeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[4])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
        local maxCalls = tonumber(ARGV[3])
        if maxCalls > 0 and redis.call('ZCARD', KEYS[2]) >= maxCalls then
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          return {0, math.max(1, tonumber(oldest[2]) + window - now)}
        end
        local want = tonumber(ARGV[1])
        local allowed = want
        local maxPairs = tonumber(ARGV[2])
        if maxPairs > 0 then
          allowed = math.max(0, math.min(want, maxPairs - redis.call('ZCARD', KEYS[1])))
        end
        for i = 1, allowed do
          redis.call('ZADD', KEYS[1], now, ARGV[5] .. i)
        end
        if allowed > 0 then redis.call('PEXPIRE', KEYS[1], window) end
        if allowed < want then
          local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          local retry = 1000
          if oldest[2] then retry = math.max(1, tonumber(oldest[2]) + window - now) end
          return {allowed, retry}
        end
        return {allowed, 0}
        """;

    // KEYS: one calls set per client; ARGV[1] window ms, ARGV[2] unique member.
    private const string RecordScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for _, key in ipairs(KEYS) do
          redis.call('ZADD', key, now, ARGV[2])
          redis.call('PEXPIRE', key, tonumber(ARGV[1]))
        end
        return 1
        """;

    private const int WindowMilliseconds = 60_000;

    private readonly LocalClientQuota _fallback = new(time);
    private int _usingFallback;

    public async ValueTask<ClientQuotaDecision> TryChargeAsync(string clientId, int pairs, int maxPairsPerMinute, int maxCallsPerMinute, CancellationToken cancellationToken)
    {
        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                ChargeScript,
                [RedisKeys.ClientPairs(clientId), RedisKeys.ClientCalls(clientId)],
                [pairs, maxPairsPerMinute, maxCallsPerMinute, WindowMilliseconds, Guid.NewGuid().ToString("N") + ":"]).ConfigureAwait(false))!;
            Interlocked.Exchange(ref _usingFallback, 0);
            return new ClientQuotaDecision((int)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Fallback(ex);
            return await _fallback.TryChargeAsync(clientId, pairs, maxPairsPerMinute, maxCallsPerMinute, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask RecordCallAsync(IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        try
        {
            var database = (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await database.ScriptEvaluateAsync(
                RecordScript, [.. clientIds.Select(id => (RedisKey)RedisKeys.ClientCalls(id))], [WindowMilliseconds, Guid.NewGuid().ToString("N")]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Fallback(ex);
            await _fallback.RecordCallAsync(clientIds, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Fallback(Exception ex)
    {
        if (Interlocked.Exchange(ref _usingFallback, 1) == 0)
        {
            InfrastructureLog.ClientQuotaFallback(logger, ex.GetType().Name);
        }
    }
}
