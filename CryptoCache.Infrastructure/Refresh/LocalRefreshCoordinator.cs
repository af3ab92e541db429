using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Refresh;

namespace CryptoCache.Infrastructure.Refresh;

/// <summary>Without Redis there is no cluster: the process refreshes its own hot set.</summary>
internal sealed class LocalRefreshCoordinator : IRefreshCoordinator
{
    public ValueTask<RefreshRole> SyncAsync(IReadOnlyList<HotPairSample> asked, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RefreshRole.Alone);

    public ValueTask<IReadOnlyList<HotPair>> ReadHotSetAsync(TimeSpan window, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<HotPair>>([]);

    public ValueTask ResignAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
