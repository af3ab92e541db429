using CryptoCache.Domain;

namespace CryptoCache.Application.Refresh;

/// <summary>A pair asked on this replica since the last tick: when it was last asked, and how many times.</summary>
public readonly record struct HotPairSample(PricePair Pair, DateTimeOffset LastAsked, int Count);
