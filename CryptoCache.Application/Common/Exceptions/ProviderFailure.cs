namespace CryptoCache.Application.Common.Exceptions;

/// <summary>Why the provider could not be used; reported in problem details, logs and metrics.</summary>
public enum ProviderFailure
{
    /// <summary>5xx, an unexpected 4xx, or a connection failure.</summary>
    Error,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>The body was not the JSON CoinGecko sends.</summary>
    MalformedResponse,

    /// <summary>The provider answered 429, or another replica saw a 429 and the cool-down is still running.</summary>
    RateLimited,

    /// <summary>The shared provider-call budget is spent for now.</summary>
    BudgetExhausted,

    /// <summary>The circuit breaker is open after repeated failures.</summary>
    CircuitOpen,
}
