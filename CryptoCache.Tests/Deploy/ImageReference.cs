using System.Text.RegularExpressions;

namespace CryptoCache.Tests.Deploy;

/// <summary>Docker's image reference grammar (distribution/reference): an optional registry, a lower-case path, a tag, a digest.</summary>
internal static partial class ImageReference
{
    public static bool IsValid(string reference) => Grammar().IsMatch(reference);

    [GeneratedRegex(
        // A first component is a registry only with a dot, a port or as localhost (so "Me/api" is not read as a host).
        @"^(?:(?:localhost(?::[0-9]+)?|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+(?::[0-9]+)?|[a-zA-Z0-9-]+:[0-9]+)/)?"
        + @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
        + @"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex Grammar();
}
