namespace CryptoCache.Application.CoinGecko.Models;

/// <summary>How an answer was served, for the <c>Cache-Status</c> and <c>Age</c> headers.</summary>
/// <param name="Fetched">At least one price was fetched from the provider for this request.</param>
/// <param name="Stale">At least one price is older than the TTL (served because the provider could not refresh it).</param>
/// <param name="AgeSeconds">Age of the oldest price in the answer.</param>
public sealed record CacheFreshness(bool Fetched, bool Stale, int AgeSeconds)
{
    public static CacheFreshness? Combine(IEnumerable<CacheFreshness> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        CacheFreshness? result = null;
        foreach (var part in parts)
        {
            result = result is null
                ? part
                : new CacheFreshness(result.Fetched || part.Fetched, result.Stale || part.Stale, Math.Max(result.AgeSeconds, part.AgeSeconds));
        }

        return result;
    }
}
