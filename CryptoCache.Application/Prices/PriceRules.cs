using CryptoCache.Application.Currencies;
using CryptoCache.Domain;
using FluentValidation;

namespace CryptoCache.Application.Prices;

/// <summary>The rules for coin ids and currency codes, shared by the single and the batch query.</summary>
internal static class PriceRules
{
    public const string CoinMessage = "Must be a CoinGecko coin id: letters, digits and hyphens, 1-100 characters.";
    public const string CurrencyShapeMessage = "Must be a currency code of 2-10 letters.";

    private static readonly Task<bool> Supported = Task.FromResult(true);
    private static readonly Task<bool> Unsupported = Task.FromResult(false);

    public static IRuleBuilderOptions<T, string?> MustBeCoinId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => CoinId.TryFrom(value, out _)).WithMessage(CoinMessage);

    public static IRuleBuilderOptions<T, string?> MustBeSupportedCurrency<T>(this IRuleBuilder<T, string?> rule, CurrencyCatalog currencies) =>
        rule.Must(value => Currency.TryFrom(value, out _)).WithMessage(CurrencyShapeMessage)
            .MustAsync((value, ct) => IsSupportedAsync(currencies, value, ct))
            // Safe to echo: only letters pass the shape rule above.
            .WithMessage((_, value) => $"'{Currency.From(value!)}' is not a currency the provider supports; see GET /currencies.");

    /// <summary>The currency rules' shortcut: a well-formed code in the list at hand (false: let the rules decide).</summary>
    public static bool IsKnownSupportedCurrency(CurrencyCatalog currencies, string raw) =>
        Currency.TryFrom(raw, out var currency) && currencies.IsKnownSupported(currency.Value);

    /// <summary>Splits <c>a,b</c> and repeated parameters alike into items.</summary>
    public static string[] SplitList(IReadOnlyList<string>? values) =>
        values is null
            ? []
            : values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToArray();

    /// <summary>
    /// A malformed code passes here: the shape rule has reported it, and the provider's list is not worth fetching for it.
    /// Runs on every price request, so the usual case (the list known) completes without allocating.
    /// </summary>
    private static Task<bool> IsSupportedAsync(CurrencyCatalog currencies, string? raw, CancellationToken cancellationToken)
    {
        if (!Currency.TryFrom(raw, out var currency))
        {
            return Supported;
        }

        var known = currencies.IsSupportedAsync(currency.Value, cancellationToken);
        return known.IsCompletedSuccessfully ? (known.Result ?? true ? Supported : Unsupported) : AwaitAsync(known);

        static async Task<bool> AwaitAsync(ValueTask<bool?> pending) => await pending.ConfigureAwait(false) ?? true;
    }
}
