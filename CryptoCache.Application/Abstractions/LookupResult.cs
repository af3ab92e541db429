namespace CryptoCache.Application.Abstractions;

/// <summary>How one price request was answered.</summary>
public enum LookupResult
{
    /// <summary>Fresh, from the cache.</summary>
    Hit,

    /// <summary>Fresh, from a provider call made because nothing usable was cached.</summary>
    Miss,

    /// <summary>Older than the TTL, served because the provider or the budget could not refresh it.</summary>
    Stale,

    /// <summary>No price: nothing cached and the provider could not be asked.</summary>
    Refused,
}
