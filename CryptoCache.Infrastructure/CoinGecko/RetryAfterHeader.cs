namespace CryptoCache.Infrastructure.CoinGecko;

internal static class RetryAfterHeader
{
    /// <summary>Retry-After in seconds or as a date; CoinGecko does not document it, so its absence is normal.</summary>
    public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return delay > TimeSpan.Zero ? delay : null;
    }
}
