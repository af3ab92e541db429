namespace CryptoCache.Application.Abstractions;

/// <summary>One coin of the provider's coin list: its id, symbol and name, and its contract address on each asset platform.</summary>
/// <param name="Id">The coin id, e.g. <c>bitcoin</c>.</param>
/// <param name="Symbol">The ticker symbol as the provider spells it; not unique.</param>
/// <param name="Name">The display name.</param>
/// <param name="Platforms">Asset platform id → contract address; empty for native coins.</param>
public sealed record CoinListing(string Id, string Symbol, string Name, IReadOnlyDictionary<string, string> Platforms);
