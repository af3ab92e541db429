namespace CryptoCache.Domain;

internal static class Ascii
{
    /// <summary>Lower-cases ASCII letters; rejects anything but letters, digits (ids only) and hyphens (ids only).</summary>
    public static bool TryNormalise(string raw, bool allowHyphen, out string value)
    {
        value = string.Empty;
        Span<char> buffer = raw.Length <= 128 ? stackalloc char[raw.Length] : new char[raw.Length];
        var changed = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c is >= 'A' and <= 'Z')
            {
                c = (char)(c + 32);
                changed = true;
            }
            else if (!IsAllowed(c, allowHyphen))
            {
                return false;
            }

            buffer[i] = c;
        }

        value = changed ? new string(buffer) : raw;
        return true;
    }

    /// <summary>What <see cref="TryNormalise"/> accepts, checked without building the lower-case string.</summary>
    public static bool IsValid(ReadOnlySpan<char> raw, bool allowHyphen)
    {
        foreach (var c in raw)
        {
            if (c is not (>= 'A' and <= 'Z') && !IsAllowed(c, allowHyphen))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllowed(char c, bool allowHyphen) => c is >= 'a' and <= 'z' || (allowHyphen && (c is >= '0' and <= '9' or '-'));
}
