namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>How an answer was served, for the <c>Cache-Status</c> and <c>Age</c> headers.</summary>
/// <param name="Fetched">At least one price was fetched from the provider for this request.</param>
/// <param name="Stale">At least one price is older than the TTL (served because the provider could not refresh it).</param>
/// <param name="AgeSeconds">Age of the oldest price in the answer.</param>
public readonly record struct CacheFreshness(bool Fetched, bool Stale, int AgeSeconds)
{
    /// <summary>The freshness of an answer holding both parts: fetched or stale if either is, as old as the older.</summary>
    public CacheFreshness With(CacheFreshness other) =>
        new(Fetched || other.Fetched, Stale || other.Stale, Math.Max(AgeSeconds, other.AgeSeconds));
}
