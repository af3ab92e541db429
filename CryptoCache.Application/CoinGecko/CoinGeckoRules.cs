using System.Globalization;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Domain;
using FluentValidation;

namespace CryptoCache.Application.CoinGecko;

/// <summary>
/// How the CoinGecko-compatible endpoints read their parameters, and how they write quotes: CoinGecko's field names and
/// order, trimmed to the include flags and rounded to <c>precision</c> locally, so that one cached quote serves every view.
/// </summary>
internal static class CoinGeckoRules
{
    /// <summary>CoinGecko's own limit on symbols with <c>include_tokens=all</c>.</summary>
    public const int MaxSymbolsWithAll = 50;

    public const int MaxPrecision = 18;

    public const int MaxNameLength = 100;

    private static readonly string[] Flags = ["true", "false"];

    /// <summary>The single value of a parameter; null when absent. Repeats are rejected by the validators first.</summary>
    public static string? Value(IReadOnlyList<string>? values) => values is { Count: > 0 } ? values[0] : null;

    /// <summary>A comma-separated list (commas may arrive percent-encoded; ASP.NET Core has decoded them), without empty items.</summary>
    public static string[] Items(IReadOnlyList<string>? values) =>
        Value(values) is { } value ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];

    public static bool IsFlag(string? value) => value is null || Flags.Contains(value, StringComparer.OrdinalIgnoreCase);

    public static bool Flag(IReadOnlyList<string>? values) => string.Equals(Value(values), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Absent or <c>full</c>: null (the stored value); otherwise 0 to 18 decimal places.</summary>
    public static bool TryPrecision(string? value, out int? precision)
    {
        precision = null;
        if (value is null || string.Equals(value, "full", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Length is 0 or > 2 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        var places = int.Parse(value, CultureInfo.InvariantCulture);
        precision = places;
        return places <= MaxPrecision;
    }

    /// <summary>Printable ASCII only: no control characters (NUL), no non-ASCII.</summary>
    public static bool IsPrintableAscii(string value, int maxLength) =>
        value.Length is > 0 && value.Length <= maxLength && value.All(c => c is >= ' ' and <= '~');

    public static bool IsContractAddress(string value) =>
        value.Length == 42 && value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && value.Skip(2).All(char.IsAsciiHexDigit);

    /// <summary>decimal.Round(value, precision, MidpointRounding.AwayFromZero); no precision: the stored value. Trailing zeros dropped.</summary>
    public static decimal? Round(decimal? value, int? precision) =>
        value is not { } number ? null : Normalise(precision is { } places ? decimal.Round(number, places, MidpointRounding.AwayFromZero) : number);

    /// <summary>Drops trailing zeros (1.50 → 1.5) so the written number is the shortest exact form.</summary>
    private static decimal Normalise(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>One coin's (or contract's) fields in CoinGecko's order: each currency with its extras, then <c>last_updated_at</c>.</summary>
    public static List<CoinGeckoField> Fields(IReadOnlyList<(Currency Currency, QuoteView Quote)> quotes, QuoteFlags flags)
    {
        var fields = new List<CoinGeckoField>(quotes.Count * 4 + 1);
        foreach (var (currency, quote) in quotes)
        {
            var code = currency.Value;
            fields.Add(new(code, Round(quote.Price, flags.Precision)));
            if (flags.MarketCap)
            {
                fields.Add(new(code + "_market_cap", Round(quote.MarketCap, flags.Precision)));
            }

            if (flags.Volume)
            {
                fields.Add(new(code + "_24h_vol", Round(quote.Volume24h, flags.Precision)));
            }

            if (flags.Change)
            {
                fields.Add(new(code + "_24h_change", Round(quote.Change24h, flags.Precision)));
            }
        }

        if (flags.LastUpdated && quotes.Select(q => q.Quote.LastUpdatedAt).FirstOrDefault(t => t is not null) is { } stamp)
        {
            fields.Add(new("last_updated_at", stamp.ToUnixTimeSeconds()));
        }

        return fields;
    }

    /// <summary>The rules every parameter shares: given at most once.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> GivenOnce<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(values => values is null || values.Count <= 1).WithMessage("given more than once; send one comma-separated value.");

    /// <summary>The rules of the parameters price and token-price requests share: vs_currencies, include flags, precision.</summary>
    public static void QuoteParameters<T>(this AbstractValidator<T> validator, int maxCurrencies)
        where T : IQuoteRequest
    {
        validator.RuleFor(q => q.VsCurrencies).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => Items(v).Length > 0).WithMessage("missing or empty; name one or more quote currencies, e.g. usd.")
            .Must(v => Items(v).Length <= maxCurrencies).WithMessage($"at most {maxCurrencies} currencies per request.")
            .Must(v => Items(v).All(c => Currency.TryFrom(c, out _))).WithMessage("each currency must be a code of 2-10 letters.")
            .OverridePropertyName("vs_currencies");
        Flag(validator, q => q.IncludeMarketCap, "include_market_cap");
        Flag(validator, q => q.Include24hrVol, "include_24hr_vol");
        Flag(validator, q => q.Include24hrChange, "include_24hr_change");
        Flag(validator, q => q.IncludeLastUpdatedAt, "include_last_updated_at");
        validator.RuleFor(q => q.Precision).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => TryPrecision(Value(v), out _)).WithMessage($"must be full or a whole number from 0 to {MaxPrecision}.")
            .OverridePropertyName("precision");
    }

    private static void Flag<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IReadOnlyList<string>?>> property, string name) =>
        validator.RuleFor(property).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => IsFlag(Value(v))).WithMessage("must be true or false.")
            .OverridePropertyName(name);
}
