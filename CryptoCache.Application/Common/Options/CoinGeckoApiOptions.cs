using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Application.Common.Options;

/// <summary>Limits of the CoinGecko-compatible <c>/api/v3</c> endpoints. Documented in README.md.</summary>
public sealed class CoinGeckoApiOptions
{
    public const string SectionName = "CoinGeckoApi";

    /// <summary>Most ids, names, symbols or contract addresses in one request (CoinGecko documents 515).</summary>
    [Range(1, 1_000), Display(Name = "CoinGeckoApi:MaxIds")]
    public int MaxIds { get; set; } = 515;

    /// <summary>Most quote currencies in one request.</summary>
    [Range(1, 100), Display(Name = "CoinGeckoApi:MaxVsCurrencies")]
    public int MaxVsCurrencies { get; set; } = 25;
}
