using System.Globalization;

namespace CryptoCache.Application.Common.Options;

/// <summary>One configured client key: a name for operators, the secret clients send, and an optional cold-pair limit of its own.</summary>
public sealed record ClientKey(string Name, string Secret, int? MaxColdPairsPerMinute)
{
    public const int MinSecretLength = 16;

    /// <summary>Parses <c>name:secret</c> or <c>name:secret:maxColdPairsPerMinute</c>.</summary>
    public static bool TryParse(string entry, out ClientKey key)
    {
        key = null!;
        var parts = (entry ?? string.Empty).Split(':');
        if (parts.Length is < 2 or > 3 || !IsToken(parts[0], 1) || !IsToken(parts[1], MinSecretLength))
        {
            return false;
        }

        int? limit = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1_000_000)
            {
                return false;
            }

            limit = value;
        }

        key = new ClientKey(parts[0], parts[1], limit);
        return true;
    }

    // Secrets must be safe in a header, a query string and an env value without quoting.
    private static bool IsToken(string value, int minLength) =>
        value.Length >= minLength && value.Length <= 200 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    // A record prints its members: never the secret.
    public override string ToString() => $"ClientKey {{ Name = {Name} }}";
}
