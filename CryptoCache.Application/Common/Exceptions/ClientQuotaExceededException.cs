namespace CryptoCache.Application.Common.Exceptions;

/// <summary>The client spent its share of new (uncached) pairs for now; its cached answers keep coming.</summary>
public sealed class ClientQuotaExceededException : Exception
{
    public ClientQuotaExceededException(TimeSpan retryAfter)
        : base("This client asked for more new pairs than its share allows for now; cached pairs are still served.")
    {
        RetryAfter = retryAfter;
    }

    public ClientQuotaExceededException()
        : this(TimeSpan.FromSeconds(1))
    {
    }

    public ClientQuotaExceededException(string message)
        : base(message)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    public ClientQuotaExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    /// <summary>When the client's window has room again.</summary>
    public TimeSpan RetryAfter { get; }
}
