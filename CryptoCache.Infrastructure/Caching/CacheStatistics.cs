using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.Redis;

namespace CryptoCache.Infrastructure.Caching;

internal sealed class CacheStatistics(PriceMemoryCache memory, RedisConnection? redis = null) : ICacheStatistics
{
    public long MemoryEntries => memory.Count;

    public bool Distributed => redis is not null;
}
