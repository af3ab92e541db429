namespace CryptoCache.Application.Abstractions;

/// <summary>
/// Where the engine reports what it does, for operators. Implemented outside Application (Prometheus), so that this
/// layer depends on no metrics library; the running totals for the admin view live in <see cref="Diagnostics.EngineStatistics"/>.
/// </summary>
public interface IEngineMetrics
{
    /// <summary>One price answered (or refused) by a request.</summary>
    void Answered(LookupResult result);

    /// <summary>One provider call made for misses, carrying this many pairs.</summary>
    void MissBatch(int pairs);

    /// <summary>Cold pairs of one request charged to its client (allowed) or refused because it spent its share.</summary>
    void ClientQuota(int allowed, int refused);

    /// <summary>One refresh call made, carrying this many pairs.</summary>
    void RefreshCall(int pairs);

    /// <summary>The hot set this replica refreshes from (the cluster's when it leads, its own otherwise).</summary>
    void HotPairs(int count);

    /// <summary>Whether this replica refreshes for the whole cluster.</summary>
    void Leader(bool isLeader);
}
