using CryptoCache.Domain;

namespace CryptoCache.Application.Refresh;

/// <summary>A pair in the hot set with its popularity (asks, decayed over time); the refresher serves the most popular first.</summary>
public readonly record struct HotPair(PricePair Pair, double Popularity);
