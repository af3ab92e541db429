using System.Reflection;

namespace CryptoCache.Tests.Architecture;

/// <summary>Dependencies point inward: Api → Application → Domain; Infrastructure → Application.</summary>
public sealed class LayeringTests
{
    private static readonly Assembly Domain = typeof(CryptoCache.Domain.CoinId).Assembly;
    private static readonly Assembly Application = typeof(CryptoCache.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(CryptoCache.Infrastructure.DependencyInjection).Assembly;

    private static string[] References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

    [Test]
    public void Domain_ReferencesNoOtherLayerNorPackage() =>
        Assert.That(References(Domain).Where(n => !n.StartsWith("System", StringComparison.Ordinal)), Is.Empty);

    [Test]
    public void Application_ReferencesNoInfrastructureRedisOrAspNetCore() =>
        Assert.That(References(Application).Where(n =>
            n.StartsWith("CryptoCache.Infrastructure", StringComparison.Ordinal) || n.StartsWith("CryptoCache.Api", StringComparison.Ordinal)
            || n.StartsWith("StackExchange.Redis", StringComparison.Ordinal) || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || n.StartsWith("ZiggyCreatures", StringComparison.Ordinal)), Is.Empty);

    [Test]
    public void Application_ReferencesNoMetricsOrHttpLibrary() =>
        Assert.That(References(Application).Where(n =>
            n.StartsWith("Prometheus", StringComparison.OrdinalIgnoreCase) || n.StartsWith("OpenTelemetry", StringComparison.Ordinal)
            || n.StartsWith("System.Net.Http", StringComparison.Ordinal) || n.StartsWith("Microsoft.Extensions.Http", StringComparison.Ordinal)
            || n.StartsWith("Polly", StringComparison.Ordinal) || n.StartsWith("System.Diagnostics.DiagnosticSource", StringComparison.Ordinal)), Is.Empty,
            "metrics go through IEngineMetrics and provider calls through IPriceProvider, both implemented in Infrastructure");

    [Test]
    public void Infrastructure_ReferencesNoApi() =>
        Assert.That(References(Infrastructure).Where(n => n.StartsWith("CryptoCache.Api", StringComparison.Ordinal)), Is.Empty);

    [Test]
    public void Infrastructure_TypesAreInternalButTheRegistration()
    {
        var exposed = Infrastructure.GetExportedTypes().Select(t => t.FullName);

        Assert.That(exposed, Is.EquivalentTo(new[] { "CryptoCache.Infrastructure.DependencyInjection" }));
    }
}
