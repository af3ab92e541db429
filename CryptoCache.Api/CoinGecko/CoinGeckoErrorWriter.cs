using System.Globalization;
using System.Text.Json;
using CryptoCache.Api.Logging;
using CryptoCache.Api.Serialization;
using CryptoCache.Application.Common.Exceptions;
using FluentValidation;
using Microsoft.Net.Http.Headers;

namespace CryptoCache.Api.CoinGecko;

/// <summary>
/// Errors of the CoinGecko-compatible <c>/api/v3</c> paths in CoinGecko's shapes, not problem details, so that
/// programs written for CoinGecko (and its SDKs' retry logic) read them as they read CoinGecko's own.
/// </summary>
internal static class CoinGeckoErrorWriter
{
    public const string PathPrefix = "/api/v3";

    private const string RateLimitMessage = "You've exceeded the Rate Limit. The price provider's call budget is spent and the prices asked for are not cached; retry after the Retry-After seconds.";

    private const string ClientQuotaMessage = "You've exceeded the Rate Limit. This client asked for more new (uncached) prices than its share allows; cached prices are still served; retry new ones after the Retry-After seconds.";

    private static readonly TimeSpan UnknownRetryAfter = TimeSpan.FromSeconds(5);

    public static bool Applies(HttpContext context) => context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>False for an exception this API does not expect: the framework's 500 then applies.</summary>
    public static async ValueTask<bool> TryWriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        switch (exception)
        {
            case ValidationException validation:
                var fields = validation.Errors.Select(e => e.PropertyName).Distinct(StringComparer.Ordinal).ToArray();
                ApiLog.RequestRejected(logger, string.Join(",", fields));
                // The messages name the parameter and never echo the input (which may hold NUL or anything else).
                var message = string.Join("; ", validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").Distinct(StringComparer.Ordinal));
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, message).ConfigureAwait(false);
                return true;
            case BadHttpRequestException badRequest:
                await WriteErrorAsync(context, badRequest.StatusCode, badRequest.Message).ConfigureAwait(false);
                return true;
            case AssetPlatformNotFoundException:
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, "asset platform not found").ConfigureAwait(false);
                return true;
            case ClientQuotaExceededException refused:
                ApiLog.ClientQuotaExceeded(logger);
                SetRetryAfter(context, refused.RetryAfter);
                await WriteStatusAsync(context, StatusCodes.Status429TooManyRequests, ClientQuotaMessage).ConfigureAwait(false);
                return true;
            case ProviderUnavailableException unavailable:
                ApiLog.ProviderUnavailable(logger, unavailable.Failure.ToString());
                SetRetryAfter(context, unavailable.RetryAfter ?? UnknownRetryAfter);
                if (unavailable.Failure is ProviderFailure.RateLimited or ProviderFailure.BudgetExhausted)
                {
                    await WriteStatusAsync(context, StatusCodes.Status429TooManyRequests, RateLimitMessage).ConfigureAwait(false);
                }
                else
                {
                    await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, unavailable.Message + " No price for this request is cached.").ConfigureAwait(false);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>CoinGecko's status body, <c>{"status":{"error_code":N,"error_message":"..."}}</c>, as it sends with 401 and 429.</summary>
    public static Task WriteStatusAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, new CoinGeckoRateLimitDto { Status = new CoinGeckoStatusDto { ErrorCode = status, ErrorMessage = message } }, ApiJsonContext.Default.CoinGeckoRateLimitDto);
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, new CoinGeckoErrorDto { Error = message }, ApiJsonContext.Default.CoinGeckoErrorDto);
    }

    private static async Task WriteAsync<T>(HttpContext context, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }
}
