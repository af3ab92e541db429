namespace CryptoCache.Application.Common.Exceptions;

/// <summary>The provider could not give a price: it failed, refused (429), or our own budget or circuit breaker held the call back.</summary>
public sealed class ProviderUnavailableException : Exception
{
    public ProviderUnavailableException(ProviderFailure failure, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        RetryAfter = retryAfter;
    }

    public ProviderUnavailableException()
        : this(ProviderFailure.Error, "The price provider is unavailable.")
    {
    }

    public ProviderUnavailableException(string message)
        : this(ProviderFailure.Error, message)
    {
    }

    public ProviderUnavailableException(string message, Exception innerException)
        : this(ProviderFailure.Error, message, null, innerException)
    {
    }

    public ProviderFailure Failure { get; }

    /// <summary>When asking again may succeed, if known.</summary>
    public TimeSpan? RetryAfter { get; }
}
