namespace CryptoCache.Application.Abstractions;

/// <summary>
/// Each client's sliding one-minute window of cold pairs (pairs with nothing cached that need a provider call) and of
/// the provider calls its misses rode on, shared by every replica. Implemented outside Application (Redis, with a
/// per-replica memory fallback). Asked only for cold misses: never for a hit or a stale answer.
/// </summary>
public interface IClientQuota
{
    /// <summary>
    /// Charges up to <paramref name="pairs"/> cold pairs to the client, as many as its window allows: none while its
    /// misses already rode on <paramref name="maxCallsPerMinute"/> calls in the last minute, else up to
    /// <paramref name="maxPairsPerMinute"/> pairs in the minute. A limit of 0 means none. Never throws for an unreachable store.
    /// </summary>
    ValueTask<ClientQuotaDecision> TryChargeAsync(string clientId, int pairs, int maxPairsPerMinute, int maxCallsPerMinute, CancellationToken cancellationToken);

    /// <summary>Counts one provider call against each client whose misses it carried. Never throws for an unreachable store.</summary>
    ValueTask RecordCallAsync(IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken);
}
