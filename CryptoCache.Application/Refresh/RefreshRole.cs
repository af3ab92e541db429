namespace CryptoCache.Application.Refresh;

/// <summary>What a replica refreshes this tick.</summary>
public enum RefreshRole
{
    /// <summary>It holds the lease: it refreshes the cluster's hot set for every replica.</summary>
    Leader,

    /// <summary>Another replica holds the lease; this one only shares what its clients ask for.</summary>
    Follower,

    /// <summary>No shared state (no Redis, or Redis unreachable): it refreshes its own hot set within its own budget.</summary>
    Alone,
}
