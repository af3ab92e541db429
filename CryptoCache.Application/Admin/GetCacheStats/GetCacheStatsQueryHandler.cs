using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Diagnostics;
using MediatR;

namespace CryptoCache.Application.Admin.GetCacheStats;

internal sealed class GetCacheStatsQueryHandler(ICacheStatistics cache, EngineStatistics engine, IPriceProvider provider)
    : IRequestHandler<GetCacheStatsQuery, CacheStatsDto>
{
    public Task<CacheStatsDto> Handle(GetCacheStatsQuery request, CancellationToken cancellationToken)
    {
        var (hits, misses, stale, refused) = (engine.Hits, engine.Misses, engine.Stale, engine.Refused);
        var answers = hits + misses + stale + refused;
        var budget = provider.LastKnownBudget;
        var refreshCalls = engine.RefreshCalls;
        return Task.FromResult(new CacheStatsDto
        {
            Entries = cache.MemoryEntries,
            Hits = hits,
            Misses = misses,
            Stale = stale,
            Refused = refused,
            HitRatio = answers == 0 ? null : (double)(hits + stale) / answers,
            FreshShare = answers == 0 ? null : (double)(hits + misses) / answers,
            StaleShare = answers == 0 ? null : (double)stale / answers,
            RefusedShare = answers == 0 ? null : (double)refused / answers,
            BudgetRemaining = budget.Remaining,
            ProviderCallsLastMinute = budget.Remaining is { } left && cache.Distributed ? budget.Limit - left : null,
            MaxCallsPerMinute = budget.Limit,
            Distributed = cache.Distributed,
            HotPairs = engine.HotPairs,
            RefresherLeader = engine.IsLeader,
            RefreshCalls = refreshCalls,
            PairsPerRefreshCall = refreshCalls == 0 ? null : (double)engine.RefreshedPairs / refreshCalls,
        });
    }
}
