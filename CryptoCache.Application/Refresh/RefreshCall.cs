using CryptoCache.Domain;

namespace CryptoCache.Application.Refresh;

/// <summary>One planned provider call: these coins in these currencies, for these hot pairs.</summary>
public sealed record RefreshCall(IReadOnlyList<CoinId> Coins, IReadOnlyList<Currency> Currencies, IReadOnlyList<PricePair> Pairs, double Popularity);
