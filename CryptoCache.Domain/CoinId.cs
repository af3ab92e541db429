namespace CryptoCache.Domain;

/// <summary>A CoinGecko coin id: lower-case ASCII letters, digits and hyphens, 1 to 100 characters.</summary>
public readonly record struct CoinId
{
    public const int MaxLength = 100;

    private CoinId(string value) => Value = value;

    public string Value { get; }

    /// <summary>Normalises case and returns false for anything that is not a valid id.</summary>
    public static bool TryFrom(string? raw, out CoinId coin)
    {
        coin = default;
        if (raw is null || raw.Length is 0 or > MaxLength)
        {
            return false;
        }

        // Ids are ASCII, so lower-casing char by char is exact and avoids culture rules.
        if (!Ascii.TryNormalise(raw, allowHyphen: true, out var value))
        {
            return false;
        }

        coin = new CoinId(value);
        return true;
    }

    /// <summary>
    /// Whether <see cref="TryFrom"/> would accept the text, without allocating: validation checks every id of a request
    /// before any is used.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> raw) => raw.Length is > 0 and <= MaxLength && Ascii.IsValid(raw, allowHyphen: true);

    public static CoinId From(string raw) =>
        TryFrom(raw, out var coin) ? coin : throw new ArgumentException($"'{raw}' is not a valid coin id.", nameof(raw));

    public override string ToString() => Value;
}
