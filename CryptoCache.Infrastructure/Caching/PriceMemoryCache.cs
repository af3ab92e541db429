using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>FusionCache's first level, owned here so that operators can be told how many entries it holds.</summary>
internal sealed class PriceMemoryCache() : MemoryCache(Options.Create(new MemoryCacheOptions()));
