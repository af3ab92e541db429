using CryptoCache.Application.Common.Exceptions;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Application.Logging;

/// <summary>Application events, EventIds 2000-2999. Hot-path events are Debug.</summary>
internal static partial class ApplicationLog
{
    [LoggerMessage(2001, LogLevel.Debug, "Request {RequestName} failed validation: {Errors}")]
    public static partial void ValidationFailed(ILogger logger, string requestName, string errors);

    [LoggerMessage(2002, LogLevel.Debug, "Provider call for {Pairs} pairs ({Coins} coins x {Currencies} currencies)")]
    public static partial void ProviderBatch(ILogger logger, int pairs, int coins, int currencies);

    [LoggerMessage(2003, LogLevel.Warning, "Supported currency list unavailable ({Failure}); accepting well-formed codes")]
    public static partial void CurrencyListUnavailable(ILogger logger, ProviderFailure failure);

    [LoggerMessage(2004, LogLevel.Debug, "Price {Coin}/{Currency} served stale, {AgeSeconds} s old")]
    public static partial void ServedStale(ILogger logger, string coin, string currency, int ageSeconds);
}
