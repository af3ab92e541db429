using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using MediatR;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Admin.GetCacheStats;

internal sealed class GetCacheStatsQueryHandler(ICacheStatistics statistics, ApplicationMetrics metrics, IOptions<ProviderOptions> options)
    : IRequestHandler<GetCacheStatsQuery, CacheStatsDto>
{
    public Task<CacheStatsDto> Handle(GetCacheStatsQuery request, CancellationToken cancellationToken)
    {
        var (hits, misses, stale) = (metrics.Hits, metrics.Misses, metrics.Stale);
        var lookups = hits + misses + stale;
        var max = options.Value.MaxCallsPerMinute;
        var remaining = statistics.BudgetRemaining;
        return Task.FromResult(new CacheStatsDto
        {
            Entries = statistics.MemoryEntries,
            Hits = hits,
            Misses = misses,
            Stale = stale,
            HitRatio = lookups == 0 ? null : (double)(hits + stale) / lookups,
            BudgetRemaining = remaining,
            ProviderCallsLastMinute = remaining is { } left && statistics.Distributed ? max - left : null,
            MaxCallsPerMinute = max,
            Distributed = statistics.Distributed,
        });
    }
}
