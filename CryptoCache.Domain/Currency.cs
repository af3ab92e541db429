namespace CryptoCache.Domain;

/// <summary>A quote currency code as CoinGecko spells it (usd, eur, btc, sats…): 2 to 10 lower-case ASCII letters.</summary>
public readonly record struct Currency
{
    public const int MinLength = 2;
    public const int MaxLength = 10;

    private Currency(string value) => Value = value;

    public string Value { get; }

    public static bool TryFrom(string? raw, out Currency currency)
    {
        currency = default;
        if (raw is null || raw.Length is < MinLength or > MaxLength || !Ascii.TryNormalise(raw, allowHyphen: false, out var value))
        {
            return false;
        }

        currency = new Currency(value);
        return true;
    }

    /// <summary>Whether <see cref="TryFrom"/> would accept the text, without allocating.</summary>
    public static bool IsValid(ReadOnlySpan<char> raw) => raw.Length is >= MinLength and <= MaxLength && Ascii.IsValid(raw, allowHyphen: false);

    public static Currency From(string raw) =>
        TryFrom(raw, out var currency) ? currency : throw new ArgumentException($"'{raw}' is not a valid currency code.", nameof(raw));

    public override string ToString() => Value;
}
