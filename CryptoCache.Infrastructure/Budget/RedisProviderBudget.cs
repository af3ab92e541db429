using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.CoinGecko;
using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Budget;

/// <summary>
/// The provider budget shared by every replica: a sliding one-minute log of calls in a sorted set, checked and
/// written by one Lua script so that two replicas can never both take the last call. Redis's own clock is used,
/// so replicas' clocks need not agree. While Redis is unreachable, each replica falls back to its own smaller budget.
/// </summary>
internal sealed class RedisProviderBudget : IProviderBudget
{
    // KEYS[1] call log, KEYS[2] cool-down; ARGV[1] max calls, ARGV[2] window ms, ARGV[3] unique member.
    // Returns {allowed, retry-after ms, paused, calls left}.
    private const string AcquireScript = """
        local pause = redis.call('PTTL', KEYS[2])
        if pause > 0 then return {0, pause, 1, -1} end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local used = redis.call('ZCARD', KEYS[1])
        if used < tonumber(ARGV[1]) then
          redis.call('ZADD', KEYS[1], now, ARGV[3])
          redis.call('PEXPIRE', KEYS[1], window)
          return {1, 0, 0, tonumber(ARGV[1]) - used - 1}
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {0, math.max(1, tonumber(oldest[2]) + window - now), 0, 0}
        """;

    // KEYS[1] call log, KEYS[2] cool-down; ARGV[1] window ms. Returns {calls in the window, pause ms}.
    private const string PeekScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
        return {redis.call('ZCARD', KEYS[1]), redis.call('PTTL', KEYS[2])}
        """;

    // Only ever lengthens a pause, so a short Retry-After cannot cut a longer one short.
    private const string PauseScript = """
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        end
        return 1
        """;

    private static readonly RedisKey[] AcquireKeys = [RedisKeys.ProviderCalls, RedisKeys.ProviderCooldown];
    private static readonly RedisKey[] PauseKeys = [RedisKeys.ProviderCooldown];
    private const int WindowMilliseconds = 60_000;

    private readonly RedisConnection _redis;
    private readonly ILogger<RedisProviderBudget> _logger;
    private readonly int _maxCalls;
    private readonly SlidingWindowLimiter _fallback;
    private int _usingFallback;
    private int _lastRemaining = -1;

    public RedisProviderBudget(RedisConnection redis, IOptions<ProviderLimitsOptions> options, TimeProvider time, ILogger<RedisProviderBudget> logger)
    {
        _redis = redis;
        _logger = logger;
        _maxCalls = options.Value.MaxCallsPerMinute;
        _fallback = new SlidingWindowLimiter(options.Value.FallbackMaxCallsPerMinute, time);
    }

    public async ValueTask<BudgetDecision> TryAcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            var database = (await _redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                AcquireScript, AcquireKeys, [_maxCalls, WindowMilliseconds, Guid.NewGuid().ToString("N")]).ConfigureAwait(false))!;
            Interlocked.Exchange(ref _usingFallback, 0);
            if ((int)result[3] >= 0)
            {
                Volatile.Write(ref _lastRemaining, (int)result[3]);
            }

            var retryAfter = TimeSpan.FromMilliseconds((long)result[1]);
            return (int)result[0] == 1 ? BudgetDecision.Allow
                : (int)result[2] == 1 ? BudgetDecision.Paused(retryAfter)
                : BudgetDecision.Spent(retryAfter);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref _usingFallback, 1) == 0)
            {
                InfrastructureLog.BudgetFallback(_logger, ex.GetType().Name);
            }

            return _fallback.TryAcquire();
        }
    }

    public async ValueTask PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        _fallback.Pause(pause); // this replica pauses even if Redis cannot carry the word to the others
        try
        {
            var database = (await _redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await database.ScriptEvaluateAsync(PauseScript, PauseKeys, [(long)Math.Ceiling(pause.TotalMilliseconds)]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            InfrastructureLog.BudgetFallback(_logger, ex.GetType().Name);
        }
    }

    public async ValueTask<ProviderBudget> PeekAsync(CancellationToken cancellationToken)
    {
        try
        {
            var database = (await _redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(PeekScript, AcquireKeys, [WindowMilliseconds]).ConfigureAwait(false))!;
            Interlocked.Exchange(ref _usingFallback, 0);
            var remaining = Math.Max(0, _maxCalls - (int)result[0]);
            Volatile.Write(ref _lastRemaining, remaining);
            return new ProviderBudget(_maxCalls, remaining, (long)result[1] > 0);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref _usingFallback, 1) == 0)
            {
                InfrastructureLog.BudgetFallback(_logger, ex.GetType().Name);
            }

            return _fallback.Peek();
        }
    }

    public int Limit => Volatile.Read(ref _usingFallback) == 1 ? _fallback.Limit : _maxCalls;

    public int? LastKnownRemaining => Volatile.Read(ref _usingFallback) == 1
        ? _fallback.Remaining()
        : Volatile.Read(ref _lastRemaining) is >= 0 and var remaining ? remaining : null;
}
