using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CryptoCache.Infrastructure.Health;

/// <summary>Degraded while the provider is failing, rate-limiting us or our budget is spent: prices may be stale or missing, but the replica still answers.</summary>
internal sealed class ProviderHealthCheck(ProviderHealth provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(provider.Current is var (failure, until)
            ? HealthCheckResult.Degraded($"Provider unavailable ({failure}) until {until:O}; serving cached and stale prices.")
            : HealthCheckResult.Healthy("Provider answering."));
}
