using System.Net;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Infrastructure.Budget;
using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Infrastructure.CoinGecko;

/// <summary>
/// Sits inside the retry strategy, so that every attempt that would reach the provider spends budget, and every 429
/// pauses all replicas.
/// </summary>
internal sealed class ProviderBudgetHandler(IProviderBudget budget, IOptions<ProviderOptions> options, TimeProvider time, ILogger<ProviderBudgetHandler> logger)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var decision = await budget.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            InfrastructureLog.ProviderCallHeldBack(logger, decision.Failure.ToString(), decision.RetryAfter.TotalSeconds);
            throw new ProviderUnavailableException(decision.Failure, decision.Failure == ProviderFailure.RateLimited
                ? "The provider rate-limited this service; calls are paused."
                : "The shared provider-call budget is spent for now.", decision.RetryAfter);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var pause = RetryAfterHeader.Read(response, time.GetUtcNow()) ?? TimeSpan.FromSeconds(options.Value.RateLimitBackoffSeconds);
            InfrastructureLog.ProviderRateLimited(logger, pause.TotalSeconds);
            await budget.PauseAsync(pause, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
