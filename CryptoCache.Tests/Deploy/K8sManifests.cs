using System.Globalization;
using k8s;
using k8s.Models;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// Kubernetes objects read with the client library's strict loader, which rejects unknown fields and wrong types
/// (but not missing required fields: the tests assert those).
/// </summary>
internal sealed class K8sManifests
{
    private K8sManifests(IReadOnlyList<(string Source, object Resource)> resources) => Resources = resources;

    public IReadOnlyList<(string Source, object Resource)> Resources { get; }

    /// <summary>Every manifest file in the folder (not below it), kustomization.yaml excepted: the loader does not know Kustomization.</summary>
    public static K8sManifests LoadFolder(string folder) =>
        new(ManifestFiles(folder).SelectMany(file => Parse(File.ReadAllText(file), Path.GetRelativePath(DeployPaths.Root, file))).ToList());

    /// <summary>Output of <c>kubectl kustomize</c>.</summary>
    public static K8sManifests LoadRendered(string yaml, string source) => new(Parse(yaml, source).ToList());

    public static IEnumerable<string> ManifestFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal);

    public IEnumerable<T> All<T>() => Resources.Select(r => r.Resource).OfType<T>();

    public T Named<T>(string name)
        where T : IMetadata<V1ObjectMeta>
    {
        var matches = All<T>().Where(r => r.Metadata?.Name == name).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"exactly one {typeof(T).Name} named {name}");
        return matches[0];
    }

    /// <summary>Whether a label selector (matchLabels) selects these labels; an empty selector selects nothing here.</summary>
    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>The container port a Service targetPort or a probe port refers to, by name or number.</summary>
    public static V1ContainerPort? ContainerPort(IEnumerable<V1ContainerPort> ports, IntOrString? target) =>
        target is null ? null : ports.FirstOrDefault(p => p.Name == target.Value || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == target.Value);

    private static IEnumerable<(string, object)> Parse(string yaml, string source)
    {
        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(yaml, strict: true);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            throw new AssertionException($"{source} does not load strictly as Kubernetes objects: {ex.Message} {ex.InnerException?.Message}", ex);
        }

        return objects.Select(o => (source, o));
    }
}
