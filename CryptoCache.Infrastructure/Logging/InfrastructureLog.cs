using Microsoft.Extensions.Logging;

namespace CryptoCache.Infrastructure.Logging;

/// <summary>Infrastructure events, EventIds 3000-3999. Never log a connection string, password or API key.</summary>
internal static partial class InfrastructureLog
{
    [LoggerMessage(3001, LogLevel.Information, "Cache: Redis at {Endpoint} (L1 memory + L2 Redis, backplane, shared provider budget)")]
    public static partial void RedisMode(ILogger logger, string endpoint);

    [LoggerMessage(3002, LogLevel.Information, "Cache: in-process only (no Redis configured); provider budget is per process")]
    public static partial void InProcessMode(ILogger logger);

    [LoggerMessage(3003, LogLevel.Warning, "Redis connection to {Endpoint} failed: {FailureType}; serving from memory and the fallback budget until it answers (check Redis:ConnectionString / REDIS_URL)")]
    public static partial void RedisConnectionFailed(ILogger logger, string? endpoint, string failureType);

    [LoggerMessage(3004, LogLevel.Information, "Redis connection to {Endpoint} restored")]
    public static partial void RedisConnectionRestored(ILogger logger, string? endpoint);

    [LoggerMessage(3005, LogLevel.Warning, "Shared provider budget unreachable in Redis ({Reason}); using this replica's fallback budget")]
    public static partial void BudgetFallback(ILogger logger, string reason);

    [LoggerMessage(3006, LogLevel.Warning, "Provider rate-limited us (429); every replica pauses for {Seconds} s")]
    public static partial void ProviderRateLimited(ILogger logger, double seconds);

    [LoggerMessage(3007, LogLevel.Warning, "Provider call failed: {Failure} ({Detail})")]
    public static partial void ProviderFailed(ILogger logger, string failure, string detail);

    [LoggerMessage(3008, LogLevel.Debug, "Provider call held back: {Failure}, retry after {RetryAfterSeconds} s")]
    public static partial void ProviderCallHeldBack(ILogger logger, string failure, double retryAfterSeconds);

    [LoggerMessage(3009, LogLevel.Debug, "Distributed lock {LockName} unavailable: {Reason}")]
    public static partial void LockUnavailable(ILogger logger, string lockName, string reason);

    [LoggerMessage(3010, LogLevel.Warning, "Refresher: Redis unreachable ({Reason}); this replica refreshes its own hot set within its fallback budget")]
    public static partial void RefresherAlone(ILogger logger, string reason);

    [LoggerMessage(3011, LogLevel.Information, "Refresher: hot set shared through Redis again")]
    public static partial void RefresherSharedAgain(ILogger logger);

    [LoggerMessage(3012, LogLevel.Information, "Refresher role: {Role}")]
    public static partial void RefresherRole(ILogger logger, string role);

    [LoggerMessage(3013, LogLevel.Error, "Refresher tick failed")]
    public static partial void RefresherTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(3014, LogLevel.Warning, "Client quotas unreachable in Redis ({Reason}); counting each client's share on this replica")]
    public static partial void ClientQuotaFallback(ILogger logger, string reason);

    [LoggerMessage(3015, LogLevel.Debug, "Fetch locks of {Pairs} pairs unavailable ({Reason}); the batch goes under this replica's protection only")]
    public static partial void FetchLocksUnavailable(ILogger logger, int pairs, string reason);

    [LoggerMessage(3016, LogLevel.Debug, "Lock release announcements unavailable ({Reason}); waiters poll every {PollMilliseconds} ms")]
    public static partial void LockSignalsUnavailable(ILogger logger, string reason, double pollMilliseconds);

    [LoggerMessage(3017, LogLevel.Information, "Redis connection down: thread pool minimum raised to {Raised} worker threads (from {Default}) until it is back; the client's failover blocks pool threads")]
    public static partial void ThreadPoolRaised(ILogger logger, int raised, int @default);

    [LoggerMessage(3018, LogLevel.Information, "Redis connections back: thread pool minimum back to {Default} worker threads")]
    public static partial void ThreadPoolSettled(ILogger logger, int @default);
}
