using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Infrastructure.Budget;
using Prometheus;

namespace CryptoCache.Infrastructure.Diagnostics;

/// <summary>Provider metrics (prometheus-net): every call's outcome and latency, and the budget left.</summary>
internal sealed class ProviderMetrics
{
    private static readonly Counter Requests = Metrics.CreateCounter(
        "cryptocache_provider_requests_total",
        "Provider calls by outcome; calls held back by the budget or a 429 pause count too, since they are answered without the provider.",
        "outcome");

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "cryptocache_provider_request_duration_seconds",
        "Provider call latency, retries included.",
        new HistogramConfiguration { LabelNames = ["outcome"], Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Gauge BudgetRemaining = Metrics.CreateGauge(
        "cryptocache_provider_budget_remaining",
        "Provider calls left in the current minute of the shared budget, as of the last call (-1 until known).");

    private static readonly Counter BudgetSpentByPurpose = Metrics.CreateCounter(
        "cryptocache_provider_budget_spent_total",
        "Provider calls let through by the budget (retries included), by purpose: miss (a client asked for something not cached), refresh (the refresher), catalog (currency list).",
        "purpose");

    private static readonly Counter.Child[] SpentChildren =
        [.. Enum.GetValues<ProviderPurpose>().Select(p => BudgetSpentByPurpose.WithLabels(p.ToString().ToLowerInvariant()))];

    private readonly IProviderBudget _budget;

    public ProviderMetrics(IProviderBudget budget)
    {
        _budget = budget;
        BudgetRemaining.Set(-1);
    }

    public static void BudgetSpent(ProviderPurpose purpose) => SpentChildren[(int)purpose].Inc();

    public void Succeeded(TimeSpan elapsed) => Record("success", elapsed);

    public void Failed(ProviderFailure failure, TimeSpan elapsed) => Record(Outcome(failure), elapsed);

    private void Record(string outcome, TimeSpan elapsed)
    {
        Requests.WithLabels(outcome).Inc();
        Duration.WithLabels(outcome).Observe(elapsed.TotalSeconds);
        BudgetRemaining.Set(_budget.LastKnownRemaining ?? -1);
    }

    private static string Outcome(ProviderFailure failure) => failure switch
    {
        ProviderFailure.Timeout => "timeout",
        ProviderFailure.MalformedResponse => "malformed",
        ProviderFailure.RateLimited => "rate_limited",
        ProviderFailure.BudgetExhausted => "budget_exhausted",
        ProviderFailure.CircuitOpen => "circuit_open",
        _ => "error",
    };
}
