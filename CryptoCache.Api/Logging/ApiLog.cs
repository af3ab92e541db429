namespace CryptoCache.Api.Logging;

/// <summary>Api events, EventIds 1000-1999. Expected rejections are Information or Debug, never Error.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Request rejected: invalid {Fields}")]
    public static partial void RequestRejected(ILogger logger, string fields);

    // Debug: during an outage with a cold cache every request ends here; metrics count them.
    [LoggerMessage(1002, LogLevel.Debug, "Answered 503: provider unavailable ({Failure}) and nothing cached")]
    public static partial void ProviderUnavailable(ILogger logger, string failure);

    // Debug: a client without a key would otherwise fill the log; the key itself is never logged.
    [LoggerMessage(1004, LogLevel.Debug, "Answered 401: no valid client key")]
    public static partial void ClientKeyRejected(ILogger logger);

    // Debug: a client over its share may keep asking; metrics count the refused pairs (cryptocache_client_quota_total).
    [LoggerMessage(1005, LogLevel.Debug, "Answered 429: the client spent its share of new pairs")]
    public static partial void ClientQuotaExceeded(ILogger logger);

    [LoggerMessage(1003, LogLevel.Critical, "Configuration error, not starting: {Message}")]
    public static partial void ConfigurationInvalid(ILogger logger, string message);
}
