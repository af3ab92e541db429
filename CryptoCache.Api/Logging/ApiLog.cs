namespace CryptoCache.Api.Logging;

/// <summary>Api events, EventIds 1000-1999. Expected rejections are Information or Debug, never Error.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Request rejected: invalid {Fields}")]
    public static partial void RequestRejected(ILogger logger, string fields);

    // Debug: during an outage with a cold cache every request ends here; metrics count them.
    [LoggerMessage(1002, LogLevel.Debug, "Answered 503: provider unavailable ({Failure}) and nothing cached")]
    public static partial void ProviderUnavailable(ILogger logger, string failure);

    [LoggerMessage(1003, LogLevel.Critical, "Configuration error, not starting: {Message}")]
    public static partial void ConfigurationInvalid(ILogger logger, string message);
}
