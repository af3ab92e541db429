using MediatR;

namespace CryptoCache.Application.Admin.GetCacheStats;

public sealed record GetCacheStatsQuery : IRequest<CacheStatsDto>;
