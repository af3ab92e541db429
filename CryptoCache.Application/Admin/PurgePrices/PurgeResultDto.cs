namespace CryptoCache.Application.Admin.PurgePrices;

/// <summary>The pairs whose cache entries were removed (whether or not they were cached).</summary>
public sealed record PurgeResultDto(string Coin, IReadOnlyList<string> Currencies);
