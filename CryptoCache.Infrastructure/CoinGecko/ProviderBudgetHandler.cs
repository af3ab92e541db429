using System.Net;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.Diagnostics;
using CryptoCache.Infrastructure.Budget;
using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Infrastructure.CoinGecko;

/// <summary>
/// Sits inside the retry strategy, so that every attempt that would reach the provider spends budget, and every 429
/// pauses all replicas. The one place where a 429 is read.
/// </summary>
internal sealed class ProviderBudgetHandler(IProviderBudget budget, IOptions<ProviderLimitsOptions> options, TimeProvider time, ILogger<ProviderBudgetHandler> logger)
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

        ProviderMetrics.BudgetSpent(request.Options.TryGetValue(CoinGeckoClient.PurposeKey, out var purpose) ? purpose : ProviderPurpose.Miss);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            using (response)
            {
                var pause = RetryAfterHeader.Read(response, time.GetUtcNow()) ?? TimeSpan.FromSeconds(options.Value.RateLimitBackoffSeconds);
                InfrastructureLog.ProviderRateLimited(logger, pause.TotalSeconds);
                await budget.PauseAsync(pause, cancellationToken).ConfigureAwait(false);
                throw new ProviderUnavailableException(ProviderFailure.RateLimited, "The price provider is unavailable: the provider answered 429.", pause);
            }
        }

        return response;
    }
}
