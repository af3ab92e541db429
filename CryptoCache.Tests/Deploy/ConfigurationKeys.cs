using System.Reflection;
using CryptoCache.Api.Configuration;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The configuration keys the app reads, found by reflection: every options class (a type with a public
/// <c>const string SectionName</c>) in the app's assemblies with its public settable properties, plus the seed's
/// environment names. Nothing here lists an app key by hand, so a renamed option breaks the manifests' tests.
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

    private static readonly Assembly[] AppAssemblies =
    [
        typeof(CryptoCache.Application.DependencyInjection).Assembly,
        typeof(CryptoCache.Infrastructure.DependencyInjection).Assembly,
        typeof(CryptoCache.Api.DependencyInjection).Assembly,
    ];

    /// <summary>Section:Key for every settable property of every options class.</summary>
    public static IReadOnlySet<string> OptionKeys { get; } = FindOptionKeys();

    public static IReadOnlyDictionary<string, string> SeedNames => SeedEnvironment.Names;

    /// <summary>The options classes found, for a sanity check that reflection still finds them.</summary>
    public static IReadOnlyList<Type> OptionTypes { get; } = AppAssemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => SectionNameOf(t) is not null)
        .ToList();

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

    private static HashSet<string> FindOptionKeys()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in AppAssemblies.SelectMany(a => a.GetTypes()))
        {
            if (SectionNameOf(type) is not { } section)
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is { IsPublic: true })
                {
                    keys.Add($"{section}:{property.Name}");
                }
            }
        }

        return keys;
    }

    private static string? SectionNameOf(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;
}
