namespace CryptoCache.FakeCoinGecko;

/// <summary>How the fake answers every call.</summary>
public enum FakeMode
{
    /// <summary>CoinGecko's shapes, 200.</summary>
    Normal,

    /// <summary>500 with a JSON error body.</summary>
    ServerError,

    /// <summary>429 with CoinGecko's body and a Retry-After header.</summary>
    RateLimited,

    /// <summary>429 without Retry-After (CoinGecko does not document the header).</summary>
    RateLimitedWithoutRetryAfter,

    /// <summary>Never answers until the client gives up.</summary>
    Hang,

    /// <summary>200 with a body that is not JSON.</summary>
    Malformed,
}
