using CryptoCache.Api.Configuration;
using CryptoCache.Tests.Architecture;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The configuration keys the app reads, found by reflection: every options class (a type with a public
/// <c>const string SectionName</c>) with its settable properties (the same list README.md's table is checked against),
/// plus the seed's environment names. No app key is listed by hand, so a renamed option breaks the manifests' tests.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Framework keys the app does not declare but the host reads; kept small on purpose.</summary>
    public static readonly IReadOnlySet<string> FrameworkKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_ENVIRONMENT",
        "ASPNETCORE_URLS",
        "ASPNETCORE_HTTP_PORTS",
        "Logging:Console:FormatterName",
    };

    /// <summary>
    /// Environment variables read by the process's C library, not by configuration: the image's allocator settings
    /// (deploy/docker/Dockerfile, which says why). Kept small on purpose.
    /// </summary>
    public static readonly IReadOnlySet<string> NativeRuntimeVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "MALLOC_ARENA_MAX",
        "MALLOC_MMAP_THRESHOLD_",
    };

    /// <summary>Section:Key for every settable property of every options class.</summary>
    public static IReadOnlySet<string> OptionKeys { get; } = new HashSet<string>(ReadmeTests.ConfigurationKeys(), StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyDictionary<string, string> SeedNames => SeedEnvironment.Names;

    /// <summary>An environment variable name (Section__Key, a seed name, or a framework key) as the configuration key it sets, or null.</summary>
    public static string? KeyOf(string environmentName)
    {
        if (SeedNames.TryGetValue(environmentName, out var seedKey))
        {
            return seedKey;
        }

        var key = environmentName.Replace("__", ":", StringComparison.Ordinal);
        var known = OptionKeys.Contains(key) || FrameworkKeys.Contains(key) || FrameworkKeys.Contains(environmentName)
                    || OptionKeys.Any(k => key.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase)); // list items: Cors__AllowedOrigins__0
        return known ? key : null;
    }
}
