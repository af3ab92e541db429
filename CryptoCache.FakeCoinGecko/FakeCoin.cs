namespace CryptoCache.FakeCoinGecko;

/// <summary>A coin the fake lists in <c>/coins/list</c>: the shared fixture's coins and the fake's own extras.</summary>
/// <param name="Id">CoinGecko's coin id, e.g. <c>bitcoin</c>.</param>
/// <param name="Symbol">Lower-case symbol; not unique (<c>usdc</c> is shared).</param>
/// <param name="Name">Display name, e.g. <c>Bitcoin</c>.</param>
/// <param name="Platforms">Asset platform id → lower-case contract address; empty for native coins.</param>
public sealed record FakeCoin(string Id, string Symbol, string Name, IReadOnlyDictionary<string, string> Platforms)
{
    /// <summary>Circulating supply: market cap is price × supply. Null: derived from the id.</summary>
    internal decimal? Supply { get; init; }
}
