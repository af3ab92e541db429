using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CryptoCache.Api.Health;

/// <summary>Unhealthy once the process is stopping, so that the Service stops sending it requests before it goes.</summary>
internal sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Shutting down.")
            : HealthCheckResult.Healthy("Running."));
}
