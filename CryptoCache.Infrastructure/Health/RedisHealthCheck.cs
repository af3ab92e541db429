using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Health;

/// <summary>
/// Degraded, not unhealthy, when Redis is down: every replica still answers from memory and the provider, so taking
/// them all out of the Service would turn a Redis outage into a full outage.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection? redis = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (redis is null)
        {
            return HealthCheckResult.Healthy("No Redis configured: in-process cache.");
        }

        try
        {
            var latency = await (await redis.GetAsync().ConfigureAwait(false)).GetDatabase().PingAsync().ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis at {redis.Endpoint} answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded($"Redis at {redis.Endpoint} unreachable ({ex.GetType().Name}); answering from memory and the provider within the per-replica fallback budget.");
        }
    }
}
