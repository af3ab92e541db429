using System.Globalization;
using CryptoCache.Api.CoinGecko;
using CryptoCache.Api.Logging;
using CryptoCache.Application.Common.Exceptions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CryptoCache.Api.ErrorHandling;

/// <summary>
/// The one place where exceptions become RFC 7807 answers, written through <see cref="IProblemDetailsService"/> so
/// that the content type is <c>application/problem+json</c> and a traceId is included. Anything not mapped here
/// falls through to the framework's 500 problem. The CoinGecko-compatible <c>/api/v3</c> paths answer in CoinGecko's
/// error shapes instead (<see cref="CoinGeckoErrorWriter"/>).
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away: nobody to answer, and nothing went wrong here
        }

        if (CoinGeckoErrorWriter.Applies(httpContext))
        {
            return await CoinGeckoErrorWriter.TryWriteAsync(httpContext, exception, logger).ConfigureAwait(false);
        }

        ProblemDetails? problem = exception switch
        {
            ValidationException validation => Invalid(validation),
            PriceNotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Unknown coin",
                Detail = notFound.Message,
            },
            ProviderUnavailableException unavailable => Unavailable(httpContext, unavailable),
            ClientQuotaExceededException refused => OverShare(httpContext, refused),
            BadHttpRequestException badRequest => new ProblemDetails { Status = badRequest.StatusCode, Title = "Bad request", Detail = badRequest.Message },
            _ => null,
        };

        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        }).ConfigureAwait(false);
    }

    private ValidationProblemDetails Invalid(ValidationException validation)
    {
        var errors = validation.Errors
            .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        ApiLog.RequestRejected(logger, string.Join(",", errors.Keys));
        return new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more query parameters are invalid.",
        };
    }

    private ProblemDetails OverShare(HttpContext httpContext, ClientQuotaExceededException refused)
    {
        ApiLog.ClientQuotaExceeded(logger);
        SetRetryAfter(httpContext, refused.RetryAfter);
        return new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many new pairs",
            Detail = refused.Message,
            Extensions = { ["reason"] = "ClientQuota" },
        };
    }

    private static void SetRetryAfter(HttpContext httpContext, TimeSpan retryAfter) =>
        httpContext.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private ProblemDetails Unavailable(HttpContext httpContext, ProviderUnavailableException unavailable)
    {
        ApiLog.ProviderUnavailable(logger, unavailable.Failure.ToString());
        if (unavailable.RetryAfter is { } retryAfter)
        {
            SetRetryAfter(httpContext, retryAfter);
        }

        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Price provider unavailable",
            Detail = unavailable.Message + " No price for this request is cached.",
            Extensions = { ["reason"] = unavailable.Failure.ToString() },
        };
    }
}
