using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Deploy;

internal static class DeployPaths
{
    public static string Root { get; } = Path.Combine(RepoPaths.Root, "deploy");

    public static string K8s { get; } = Path.Combine(Root, "k8s");

    /// <summary>The single-Redis manifests; deploy/k8s renders them, overlays/ha builds on them.</summary>
    public static string K8sBase { get; } = Path.Combine(K8s, "base");

    public static string K8sHa { get; } = Path.Combine(K8s, "overlays", "ha");

    public static string K8sDebug { get; } = Path.Combine(K8s, "debug");

    public static string K8sImages { get; } = Path.Combine(K8s, "images", "kustomization.yaml");

    public static string Compose { get; } = Path.Combine(Root, "compose", "docker-compose.yml");

    public static string ComposeHa { get; } = Path.Combine(Root, "compose", "docker-compose.ha.yml");

    public static string SentinelConf { get; } = Path.Combine(Root, "compose", "sentinel.conf");

    public static string ComposeEnvExample { get; } = Path.Combine(Root, "compose", ".env.example");

    public static string NginxConf { get; } = Path.Combine(Root, "compose", "nginx.conf");

    public static string ApiDockerfile { get; } = Path.Combine(Root, "docker", "Dockerfile");

    public static string CurlDockerfile { get; } = Path.Combine(Root, "docker", "curl.Dockerfile");

    /// <summary>At the repository root, because the API image's build context is the repository root.</summary>
    public static string DockerIgnore { get; } = Path.Combine(RepoPaths.Root, ".dockerignore");
}
