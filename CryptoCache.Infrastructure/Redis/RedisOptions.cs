namespace CryptoCache.Infrastructure.Redis;

/// <summary>Where Redis is. Empty: the service runs on an in-process cache and a per-process budget.</summary>
internal sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary><c>redis://[:password@]host:port[/db]</c> (seed env REDIS_URL) or a StackExchange.Redis configuration string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Password, when kept apart from the URL (a Kubernetes Secret); overrides one in the URL. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Milliseconds a Redis command may take before it counts as failed; the bound a request waits on a sick Redis.</summary>
    public int TimeoutMilliseconds { get; set; } = 500;

    /// <summary>
    /// Milliseconds a waiter for another replica's fetch lock waits before it looks again by itself. Releases are announced
    /// (pub/sub) and wake waiters at once; this is the fallback for an announcement lost to a reconnect.
    /// </summary>
    public int LockPollMilliseconds { get; set; } = 250;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);
}
