using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Clients;

/// <summary>
/// Fair share: the shared budget protects the provider, this protects the other clients. Each cold miss (nothing
/// cached, a provider call needed) is charged to its client before it joins a batch: at most
/// <c>Clients:MaxColdPairsPerMinute</c> pairs (or the client key's own limit) in any 60 s, and none once the client's
/// misses rode on <c>Clients:MaxBudgetShare</c> of the budget's calls in the last 60 s. Hits and stale answers are
/// never charged, so a refused client keeps getting what is cached.
/// </summary>
internal sealed class ClientQuotaPolicy(IClientContext context, IClientQuota quota, IPriceProvider provider, EngineStatistics statistics, IOptions<ClientsOptions> options)
{
    private readonly ClientsOptions _options = options.Value;

    /// <summary>True when neither limit applies: no client is ever charged, and the store is never asked.</summary>
    private readonly bool _off = options.Value.MaxColdPairsPerMinute == 0 && options.Value.MaxBudgetShare >= 1.0
                                 && options.Value.Keys.All(k => k.MaxColdPairsPerMinute is null or 0);

    /// <summary>Charges <paramref name="coldPairs"/> cold pairs to the current client; says how many may go to the provider.</summary>
    public async ValueTask<ColdMissCharge> ChargeAsync(int coldPairs, CancellationToken cancellationToken)
    {
        var client = context.Current;
        if (coldPairs <= 0 || _off)
        {
            return new ColdMissCharge(client.Id, coldPairs, TimeSpan.Zero);
        }

        var maxPairs = client.MaxColdPairsPerMinute ?? _options.MaxColdPairsPerMinute;
        var decision = await quota.TryChargeAsync(client.Id, coldPairs, maxPairs, MaxCallsPerMinute(), cancellationToken).ConfigureAwait(false);
        var allowed = Math.Clamp(decision.Allowed, 0, coldPairs);
        statistics.ClientQuota(allowed, coldPairs - allowed);
        return new ColdMissCharge(client.Id, allowed, decision.RetryAfter > TimeSpan.Zero ? decision.RetryAfter : TimeSpan.FromSeconds(1));
    }

    /// <summary>Counts one provider call against the clients whose misses it carried.</summary>
    public ValueTask RecordCallAsync(IReadOnlyCollection<string> clientIds) =>
        clientIds.Count == 0 || _options.MaxBudgetShare >= 1.0 ? ValueTask.CompletedTask : quota.RecordCallAsync(clientIds, CancellationToken.None);

    /// <summary>The client's share of the budget in calls (the fallback budget's while Redis is down); at least one, 0 when uncapped.</summary>
    internal int MaxCallsPerMinute() =>
        _options.MaxBudgetShare >= 1.0 ? 0 : Math.Max(1, (int)Math.Floor(_options.MaxBudgetShare * provider.LastKnownBudget.Limit));
}
