using System.Buffers;
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

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>A check of one item of a comma-separated list.</summary>
    public delegate bool ItemRule(ReadOnlySpan<char> item);

    /// <summary>The single value of a parameter; null when absent. Repeats are rejected by the validators first.</summary>
    public static string? Value(IReadOnlyList<string>? values) => values is { Count: > 0 } ? values[0] : null;

    /// <summary>A comma-separated list (commas may arrive percent-encoded; ASP.NET Core has decoded them), without empty items.</summary>
    public static string[] Items(IReadOnlyList<string>? values) =>
        Value(values) is { } value ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>How many items <see cref="Items"/> would give, without building them.</summary>
    public static int Count(IReadOnlyList<string>? values) => Count(Value(values));

    /// <summary>How many items a comma-separated value holds, without building them.</summary>
    public static int Count(string? value)
    {
        var count = 0;
        foreach (var _ in new CommaItems(value))
        {
            count++;
        }

        return count;
    }

    /// <summary>Whether every item <see cref="Items"/> would give passes <paramref name="rule"/>, without building them.</summary>
    public static bool All(IReadOnlyList<string>? values, ItemRule rule)
    {
        foreach (var item in new CommaItems(Value(values)))
        {
            if (!rule(item))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsFlag(string? value) =>
        value is null || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    public static bool Flag(IReadOnlyList<string>? values) => string.Equals(Value(values), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Absent or <c>full</c>: null (the stored value); otherwise 0 to 18 decimal places.</summary>
    public static bool TryPrecision(string? value, out int? precision)
    {
        precision = null;
        if (value is null || string.Equals(value, "full", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Length is 0 or > 2 || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var places = int.Parse(value, CultureInfo.InvariantCulture);
        precision = places;
        return places <= MaxPrecision;
    }

    /// <summary>Printable ASCII only: no control characters (NUL), no non-ASCII.</summary>
    public static bool IsPrintableAscii(ReadOnlySpan<char> value, int maxLength) =>
        value.Length is > 0 && value.Length <= maxLength && !value.ContainsAnyExceptInRange(' ', '~');

    public static bool IsContractAddress(ReadOnlySpan<char> value) =>
        value.Length == 42 && value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !value[2..].ContainsAnyExcept(HexDigits);

    /// <summary>decimal.Round(value, precision, MidpointRounding.AwayFromZero); no precision: the stored value. Trailing zeros dropped.</summary>
    public static decimal? Round(decimal? value, int? precision) =>
        value is not { } number ? null : Normalise(precision is { } places ? decimal.Round(number, places, MidpointRounding.AwayFromZero) : number);

    /// <summary>
    /// Drops trailing zeros (1.50 → 1.5) so the written number is the shortest exact form. Dividing by 1.000… does it,
    /// but a decimal division costs far more than looking at the last digit, and most numbers have no zero to drop.
    /// </summary>
    private static decimal Normalise(decimal value) =>
        value.Scale == 0 || !EndsInZero(value) ? value : value / 1.0000000000000000000000000000m;

    /// <summary>Whether the 96-bit integer of the decimal (its digits without the point) ends in 0.</summary>
    private static bool EndsInZero(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var digits = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        return digits % 10 == 0;
    }

    /// <summary>
    /// One coin's (or contract's) fields in CoinGecko's order: each currency it has a quote in (<paramref name="quotes"/>
    /// holds one slot per currency of <paramref name="currencies"/>, empty where there is none) with its extras, then
    /// <c>last_updated_at</c>. Empty when there is no quote at all.
    /// </summary>
    public static CoinGeckoField[] Fields(ReadOnlySpan<QuoteView?> quotes, IReadOnlyList<Currency> currencies, QuoteFlags flags)
    {
        var found = 0;
        DateTimeOffset? stamp = null;
        foreach (var quote in quotes)
        {
            if (quote is { } view)
            {
                found++;
                stamp ??= view.LastUpdatedAt;
            }
        }

        if (found == 0)
        {
            return [];
        }

        var perCurrency = 1 + (flags.MarketCap ? 1 : 0) + (flags.Volume ? 1 : 0) + (flags.Change ? 1 : 0);
        var withStamp = flags.LastUpdated && stamp is not null;
        var fields = new CoinGeckoField[found * perCurrency + (withStamp ? 1 : 0)];
        var next = 0;
        for (var i = 0; i < quotes.Length; i++)
        {
            if (quotes[i] is not { } quote)
            {
                continue;
            }

            var code = currencies[i].Value;
            fields[next++] = new(code, Round(quote.Price, flags.Precision));
            var names = perCurrency > 1 ? FieldNames.Of(code) : null;
            if (flags.MarketCap)
            {
                fields[next++] = new(names!.MarketCap, Round(quote.MarketCap, flags.Precision));
            }

            if (flags.Volume)
            {
                fields[next++] = new(names!.Volume, Round(quote.Volume24h, flags.Precision));
            }

            if (flags.Change)
            {
                fields[next++] = new(names!.Change, Round(quote.Change24h, flags.Precision));
            }
        }

        if (withStamp)
        {
            fields[next] = new("last_updated_at", stamp!.Value.ToUnixTimeSeconds());
        }

        return fields;
    }

    /// <summary>The rules every parameter shares: given at most once.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> GivenOnce<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(values => values is null || values.Count <= 1).WithMessage("given more than once; send one comma-separated value.");

    /// <summary>
    /// Whether <see cref="QuoteParameters{T}"/>'s rules pass, checked directly (for a validator's shortcut): each given
    /// at most once, one to <paramref name="maxCurrencies"/> well-formed currencies, flags true or false, a precision.
    /// </summary>
    public static bool AreValidQuoteParameters(IQuoteRequest request, int maxCurrencies) =>
        request.VsCurrencies is { Count: 1 }
        && Count(request.VsCurrencies) is var currencies && currencies > 0 && currencies <= maxCurrencies
        && All(request.VsCurrencies, Currency.IsValid)
        && IsValidFlag(request.IncludeMarketCap) && IsValidFlag(request.Include24hrVol)
        && IsValidFlag(request.Include24hrChange) && IsValidFlag(request.IncludeLastUpdatedAt)
        && request.Precision is null or { Count: <= 1 } && TryPrecision(Value(request.Precision), out _);

    private static bool IsValidFlag(IReadOnlyList<string>? values) => values is null or { Count: <= 1 } && IsFlag(Value(values));

    /// <summary>The rules of the parameters price and token-price requests share: vs_currencies, include flags, precision.</summary>
    public static void QuoteParameters<T>(this AbstractValidator<T> validator, int maxCurrencies)
        where T : IQuoteRequest
    {
        validator.RuleFor(q => q.VsCurrencies).Cascade(CascadeMode.Stop)
            .GivenOnce()
            .Must(v => Count(v) > 0).WithMessage("missing or empty; name one or more quote currencies, e.g. usd.")
            .Must(v => Count(v) <= maxCurrencies).WithMessage($"at most {maxCurrencies} currencies per request.")
            .Must(v => All(v, Currency.IsValid)).WithMessage("each currency must be a code of 2-10 letters.")
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
