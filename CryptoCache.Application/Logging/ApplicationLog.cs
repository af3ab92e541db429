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

    // Debug: with a cold cache and the provider down this happens on every request; readiness and metrics carry the outage.
    [LoggerMessage(2003, LogLevel.Debug, "Supported currency list unavailable ({Failure}); accepting well-formed codes")]
    public static partial void CurrencyListUnavailable(ILogger logger, ProviderFailure failure);

    [LoggerMessage(2004, LogLevel.Debug, "Refresh: {Due} hot pairs due, {Calls} calls planned ({Allowed} allowed now)")]
    public static partial void RefreshPlanned(ILogger logger, int due, int calls, int allowed);

    // Warning: the pairs of this call are served stale until a later tick succeeds; metrics and readiness say why.
    [LoggerMessage(2005, LogLevel.Warning, "Refresh call for {Pairs} pairs not made: {Failure}")]
    public static partial void RefreshFailed(ILogger logger, ProviderFailure failure, int pairs);

    // Debug: with a cold cache and the provider down this happens on every token request; readiness and metrics carry the outage.
    [LoggerMessage(2006, LogLevel.Debug, "Coin list unavailable ({Failure}); asset platform not checked")]
    public static partial void CoinsListUnavailable(ILogger logger, ProviderFailure failure);
}
