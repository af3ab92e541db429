using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Refresh;
using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Infrastructure.Refresh;

/// <summary>Runs the refresher's ticks for the life of the process, and gives the lease up when it stops.</summary>
internal sealed class RefresherService(
    HotPairRefresher refresher,
    IRefreshCoordinator coordinator,
    IOptions<CacheOptions> options,
    TimeProvider time,
    ILogger<RefresherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        RefreshRole? last = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var role = await refresher.TickAsync(stoppingToken).ConfigureAwait(false);
                    if (role != last)
                    {
                        InfrastructureLog.RefresherRole(logger, role.ToString());
                        last = role;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One bad tick must not end refreshing for good; the next tick starts afresh.
                    InfrastructureLog.RefresherTickFailed(logger, ex);
                }

                await Task.Delay(refresher.NextTickIn(interval), time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await coordinator.ResignAsync(cancellationToken).ConfigureAwait(false);
    }
}
