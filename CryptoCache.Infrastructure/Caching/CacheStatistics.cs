using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.Budget;
using CryptoCache.Infrastructure.Redis;

namespace CryptoCache.Infrastructure.Caching;

internal sealed class CacheStatistics(PriceMemoryCache memory, IProviderBudget budget, RedisConnection? redis = null) : ICacheStatistics
{
    public long MemoryEntries => memory.Count;

    public int? BudgetRemaining => budget.LastKnownRemaining;

    public bool Distributed => redis is not null;
}
