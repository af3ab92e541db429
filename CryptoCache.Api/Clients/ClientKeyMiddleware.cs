using CryptoCache.Api.CoinGecko;
using CryptoCache.Api.Logging;
using CryptoCache.Api.Management;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CryptoCache.Api.Clients;

/// <summary>
/// With <c>Clients:ApiKeys</c> set, the public API answers 401 to a request without a valid key. Liveness
/// (<c>/health</c>, <c>/api/v3/ping</c>) and the management port stay open. The key is never logged.
/// </summary>
internal sealed class ClientKeyMiddleware(RequestDelegate next, ClientKeys keys, ServerUrls urls, IProblemDetailsService problems, ILogger<ClientKeyMiddleware> logger)
{
    private const string UnauthorizedMessage = "A valid client key is required: send it in the X-Api-Key header (on /api/v3 also x-cg-demo-api-key / x-cg-pro-api-key).";

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOpen(context))
        {
            using (HttpClientContext.Enter(context))
            {
                await next(context).ConfigureAwait(false);
            }

            return;
        }

        if (ClientCredentials.Presented(context) is { } presented && keys.Match(presented) is { } client)
        {
            using (HttpClientContext.Enter(context, client))
            {
                await next(context).ConfigureAwait(false);
            }

            return;
        }

        ApiLog.ClientKeyRejected(logger);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "ApiKey header=\"X-Api-Key\"";
        if (CoinGeckoErrorWriter.Applies(context))
        {
            await CoinGeckoErrorWriter.WriteStatusAsync(context, StatusCodes.Status401Unauthorized, UnauthorizedMessage).ConfigureAwait(false);
            return;
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Client key required", Detail = UnauthorizedMessage },
        }).ConfigureAwait(false);
    }

    private bool IsOpen(HttpContext context) =>
        !keys.Required
        || (urls.ManagementPort > 0 && context.Connection.LocalPort == urls.ManagementPort)
        || context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.Equals(CoinGeckoErrorWriter.PathPrefix + "/ping", StringComparison.OrdinalIgnoreCase);
}
