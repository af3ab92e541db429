using CryptoCache.Application.Refresh;

namespace CryptoCache.Application.Abstractions;

/// <summary>How replicas share their hot sets and agree on the one that refreshes for all of them (a lease with expiry).</summary>
public interface IRefreshCoordinator
{
    /// <summary>
    /// Shares what this replica's clients asked for since the last tick and takes or renews the refresher lease.
    /// Never throws for an unreachable store: the answer is then <see cref="RefreshRole.Alone"/>.
    /// </summary>
    ValueTask<RefreshRole> SyncAsync(IReadOnlyList<HotPairSample> asked, CancellationToken cancellationToken);

    /// <summary>The cluster's hot set: pairs any replica was asked for within <paramref name="window"/>, most asked first; older ones are dropped.</summary>
    ValueTask<IReadOnlyList<HotPair>> ReadHotSetAsync(TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (on shutdown), so that another replica takes over at once.</summary>
    ValueTask ResignAsync(CancellationToken cancellationToken);
}
