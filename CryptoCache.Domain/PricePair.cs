namespace CryptoCache.Domain;

/// <summary>One coin quoted in one currency: the unit the cache stores and the provider is asked for.</summary>
public readonly record struct PricePair(CoinId Coin, Currency Currency)
{
    public override string ToString() => $"{Coin.Value}/{Currency.Value}";
}
