using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Application.Common.Options;

/// <summary>
/// How the engine spends the provider: how misses are batched, and how much of the budget the refresher leaves to
/// them. The budget itself and the provider's limits belong to the provider (Infrastructure), under the same section.
/// </summary>
public sealed class ProviderOptions
{
    public const string SectionName = "Provider";

    /// <summary>
    /// Quiet milliseconds after the last miss before a batch goes to the provider; every new miss restarts it (0: only
    /// those already queued). A batch goes sooner, at once, when it cannot grow (as many pairs as were answered since
    /// the last batch went, no miss call on its way, no request still reading the cache): waiting out the window then
    /// would only delay every answer in it.
    /// </summary>
    [Range(0, 1_000), Display(Name = "Provider:BatchWindowMilliseconds")]
    public int BatchWindowMilliseconds { get; set; } = 10;

    /// <summary>Most milliseconds a batch stays open while misses keep arriving.</summary>
    [Range(0, 5_000), Display(Name = "Provider:MaxBatchWaitMilliseconds")]
    public int MaxBatchWaitMilliseconds { get; set; } = 50;

    /// <summary>
    /// Milliseconds a batch of misses stays open once less than two thirds of the budget is left: with few calls left,
    /// misses wait a little longer so that one call carries many of them, rather than the budget running out on small calls.
    /// </summary>
    [Range(0, 10_000), Display(Name = "Provider:ShortBudgetBatchWaitMilliseconds")]
    public int ShortBudgetBatchWaitMilliseconds { get; set; } = 1_000;

    /// <summary>Share of the budget (rounded down to whole calls) the refresher never spends, kept for misses of new pairs.</summary>
    [Range(0.0, 0.9), Display(Name = "Provider:MissReserveFraction")]
    public double MissReserveFraction { get; set; } = 0.1;
}
