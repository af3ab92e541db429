namespace CryptoCache.Application.Abstractions;

/// <summary>Why a provider call is made; the budget is reported by purpose.</summary>
public enum ProviderPurpose
{
    /// <summary>A client asked for something that is not cached.</summary>
    Miss,

    /// <summary>The refresher keeps pairs that clients ask for fresh.</summary>
    Refresh,

    /// <summary>Lists the provider publishes (currencies, coins).</summary>
    Catalog,
}
