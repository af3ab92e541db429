using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CryptoCache.Tests.Deploy;

/// <summary>The parts of a kustomization.yaml (or Component) the tests read; KubernetesYaml does not know this kind.</summary>
internal sealed class Kustomization
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<string> Components { get; set; } = [];

    public List<KustomizeImage> Images { get; set; } = [];

    public static Kustomization Load(string path)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        return deserializer.Deserialize<Kustomization>(File.ReadAllText(path));
    }
}

internal sealed class KustomizeImage
{
    public string Name { get; set; } = string.Empty;

    public string? NewName { get; set; }

    public string? NewTag { get; set; }

    /// <summary>What kustomize writes for an image called <see cref="Name"/>.</summary>
    public string Rendered(string original)
    {
        var tag = NewTag ?? (original.Contains(':', StringComparison.Ordinal) ? original[(original.IndexOf(':', StringComparison.Ordinal) + 1)..] : null);
        return (NewName ?? Name) + (tag is null ? string.Empty : ":" + tag);
    }

    public static string NameOf(string image) =>
        image.Contains(':', StringComparison.Ordinal) ? image[..image.IndexOf(':', StringComparison.Ordinal)] : image;
}
