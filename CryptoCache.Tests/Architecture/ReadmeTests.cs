using System.Reflection;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Architecture;

/// <summary>README.md's configuration table is the one place that documents every key: it must not fall behind the options classes.</summary>
public sealed class ReadmeTests
{
    /// <summary>Every <c>Section:Property</c> of the options classes (types with a <c>SectionName</c> constant).</summary>
    internal static IEnumerable<string> ConfigurationKeys() =>
        new[] { typeof(CryptoCache.Application.DependencyInjection), typeof(CryptoCache.Infrastructure.DependencyInjection), typeof(CryptoCache.Api.DependencyInjection) }
            .SelectMany(t => t.Assembly.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(x => x.Section is not null)
            .SelectMany(x => x.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite)
                .Select(p => $"{x.Section}:{p.Name}"));

    [Test]
    public void ConfigurationTable_ListsEveryOptionsKey()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

        var keys = ConfigurationKeys().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys, Has.Count.GreaterThan(20), "the options classes were found");
            Assert.That(keys.Where(k => !readme.Contains($"`{k}`", StringComparison.Ordinal)), Is.Empty, "keys missing from README.md's configuration table");
        }
    }

    [Test]
    public void QuickStart_NamesTheTwoCommandsThatCiUses()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var ci = File.ReadAllText(Path.Combine(RepoPaths.Root, ".ci", "run"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(readme, Does.Contain("dotnet run --project CryptoCache.Api"));
            Assert.That(readme, Does.Contain("bash scripts/test.sh"));
            Assert.That(ci, Does.Contain("bash scripts/test.sh"));
        }
    }
}
