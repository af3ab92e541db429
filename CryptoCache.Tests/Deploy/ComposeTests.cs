using CryptoCache.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The Compose file, checked offline by docker-compose itself (<c>config</c> needs no engine: it rejects unknown keys,
/// wrong types, bad depends_on conditions and undeclared volumes), then read from its rendered form.
/// </summary>
[TestFixture]
public sealed class ComposeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private string _compose = null!;
    private YamlMappingNode _services = null!;
    private YamlMappingNode _rendered = null!;
    private Dictionary<string, string> _example = null!;

    [OneTimeSetUp]
    public async Task RenderAsync()
    {
        _compose = Tool.Find("docker-compose")
            ?? throw new AssertionException("docker-compose is not installed. .ci/run installs it with: apt-get install -y --no-install-recommends docker-compose");
        _example = File.ReadAllLines(DeployPaths.ComposeEnvExample)
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        var result = await RunAsync(["--env-file", DeployPaths.ComposeEnvExample, "config"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var yaml = new YamlStream();
        yaml.Load(new StringReader(result.Output));
        _rendered = (YamlMappingNode)yaml.Documents[0].RootNode;
        _services = Map(_rendered, "services");
    }

    [Test]
    public async Task ConfigQuiet_WithTheExampleEnvFile_ExitsZero()
    {
        var result = await RunAsync(["--env-file", DeployPaths.ComposeEnvExample, "config", "-q"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task Config_WithoutRedisPassword_FailsNamingTheVariable()
    {
        // An empty env file, so a developer's own deploy/compose/.env cannot make this pass.
        var empty = Path.GetTempFileName();
        ToolResult result;
        try
        {
            result = await RunAsync(["--env-file", empty, "config", "-q"]);
        }
        finally
        {
            File.Delete(empty);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero, "Redis must never start without a password");
            Assert.That(result.Error, Does.Contain("REDIS_PASSWORD"), result.ToString());
        }
    }

    [Test]
    public void Services_AreRedisApiProxyAndAnOptInCurl()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_services.Children.Keys.Select(k => k.ToString()), Is.EquivalentTo(new[] { "redis", "api", "proxy", "curl" }));
            Assert.That(Sequence(Map(_services, "curl"), "profiles"), Is.EqualTo(new[] { "debug" }));
            Assert.That(Map(_services, "curl").Children.ContainsKey("ports"), Is.False);
        }
    }

    [Test]
    public void Redis_KeepsAnAppendOnlyFileBehindAPasswordOnANamedVolume()
    {
        var redis = Map(_services, "redis");
        var command = Sequence(redis, "command");
        var healthcheck = Map(redis, "healthcheck");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Scalar(redis, "image"), Is.EqualTo("redis:7-alpine"));
            Assert.That(command[command.IndexOf("--appendonly") + 1], Is.EqualTo("yes"));
            Assert.That(command[command.IndexOf("--appendfsync") + 1], Is.EqualTo("everysec"));
            Assert.That(command[command.IndexOf("--requirepass") + 1], Is.EqualTo(_example["REDIS_PASSWORD"]), "the password from .env");
            Assert.That(string.Join(' ', Sequence(healthcheck, "test")), Does.Contain("redis-cli ping"));
            Assert.That(Scalar(Map(redis, "environment"), "REDISCLI_AUTH"), Is.EqualTo(_example["REDIS_PASSWORD"]), "the health check authenticates");
            Assert.That(Sequence(redis, "volumes"), Has.Some.StartsWith("redis-data:/data"));
            Assert.That(Map(_rendered, "volumes").Children.ContainsKey("redis-data"), Is.True, "a named volume");
            Assert.That(redis.Children.ContainsKey("ports"), Is.False, "Redis is reachable from the Compose network only");
        }
    }

    [Test]
    public void Api_ThreeReplicasBehindOnePublishedPort()
    {
        var api = Map(_services, "api");
        var proxy = Map(_services, "proxy");
        var published = ((YamlSequenceNode)proxy.Children["ports"]).Children.Cast<YamlMappingNode>().Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(int.Parse(Scalar(Map(api, "deploy"), "replicas"), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(3));
            Assert.That(api.Children.ContainsKey("ports"), Is.False, "replicas cannot share a host port");
            Assert.That(api.Children.ContainsKey("container_name"), Is.False, "a fixed name would stop scaling");
            Assert.That((Scalar(published, "published"), Scalar(published, "target")), Is.EqualTo(("8000", "8000")));
            Assert.That(Scalar(Map(Map(api, "depends_on"), "redis"), "condition"), Is.EqualTo("service_healthy"));
            Assert.That(Scalar(proxy, "image"), Does.StartWith("nginx:").And.EndWith("-alpine"));
            Assert.That(Sequence(proxy, "volumes").Single(), Does.StartWith(DeployPaths.NginxConf + ":").And.EndWith(":ro"));
        }
    }

    [Test]
    public void Proxy_NginxConf_ResolvesEveryApiReplicaOnPort8000()
    {
        var conf = File.ReadAllText(DeployPaths.NginxConf);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(conf, Does.Contain("listen 8000;"));
            Assert.That(conf, Does.Contain("resolver 127.0.0.11"), "Docker's DNS, asked again as replicas change");
            Assert.That(conf, Does.Contain("http://api:8000"));
        }
    }

    [Test]
    public void Api_Environment_UsesSeedNamesAndOnlyKeysTheAppReads()
    {
        var environment = Map(Map(_services, "api"), "environment").Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment.Keys, Is.SupersetOf(new[] { "REDIS_URL", "CACHE_TTL_SECONDS", "DEFAULT_COIN", "DEFAULT_CURRENCY" }));
            Assert.That(environment["REDIS_URL"], Is.EqualTo("redis://redis:6379"));
            Assert.That(environment["Redis__Password"], Is.EqualTo(_example["REDIS_PASSWORD"]), "the API and Redis share one password");
            foreach (var name in environment.Keys)
            {
                Assert.That(ConfigurationKeys.KeyOf(name), Is.Not.Null, $"{name} is a key the app reads");
            }
        }
    }

    [Test]
    public void Images_BuildFromTheRepositoryWithTheKubernetesNames()
    {
        var api = Map(_services, "api");
        var curl = Map(_services, "curl");
        var user = _example["DOCKERHUB_USERNAME"];
        var tag = _example["TAG"];
        var k8s = Kustomization.Load(DeployPaths.K8sImages).Images.ToDictionary(i => i.Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((Scalar(Map(api, "build"), "context"), Scalar(Map(api, "build"), "dockerfile")), Is.EqualTo((RepoPaths.Root, "deploy/docker/Dockerfile")));
            Assert.That(Scalar(Map(curl, "build"), "dockerfile"), Is.EqualTo("curl.Dockerfile"));
            Assert.That(Scalar(api, "image"), Is.EqualTo($"{user}/cryptocache-api:{tag}"));
            Assert.That(Scalar(curl, "image"), Is.EqualTo($"{user}/cryptocache-curl:{tag}"));
            // The same repositories and tag as Kubernetes; the user name differs: a local one here, the pushed one there.
            Assert.That(k8s["cryptocache-api"].Rendered("cryptocache-api"), Does.EndWith($"/cryptocache-api:{tag}"));
            Assert.That(k8s["cryptocache-curl"].Rendered("cryptocache-curl"), Does.EndWith($"/cryptocache-curl:{tag}"));
        }
    }

    [Test]
    public void Images_WithTheExampleEnvFile_AreValidLowercaseReferences()
    {
        // Following the README (copy .env.example, set REDIS_PASSWORD, up --build) must not fail with
        // "repository name must be lowercase": the example's user name is a usable local one, not a placeholder.
        var images = _services.Children.Values.Cast<YamlMappingNode>().Select(s => Scalar(s, "image")).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_example["REDIS_PASSWORD"], Is.Not.Empty, "the example sets the one required variable");
            Assert.That(_example["DOCKERHUB_USERNAME"], Does.Not.Contain("YOUR_"), "the placeholder belongs to the push instructions only");
            Assert.That(images, Has.Count.EqualTo(_services.Children.Count), "every service names its image");
            foreach (var image in images)
            {
                Assert.That(ImageReference.IsValid(image), Is.True, $"'{image}' is a valid image reference (lower-case repository)");
            }
        }
    }

    private async Task<ToolResult> RunAsync(IEnumerable<string> arguments) =>
        await Tool.RunAsync(_compose, new[] { "-f", DeployPaths.Compose }.Concat(arguments), RepoPaths.Root, Timeout,
            new Dictionary<string, string?> { ["REDIS_PASSWORD"] = null, ["COMPOSE_FILE"] = null, ["COMPOSE_PROFILES"] = null });

    private static YamlMappingNode Map(YamlMappingNode node, string key)
    {
        Assert.That(node.Children.ContainsKey(key), Is.True, $"'{key}' is set");
        return (YamlMappingNode)node.Children[key];
    }

    private static string Scalar(YamlMappingNode node, string key)
    {
        Assert.That(node.Children.ContainsKey(key), Is.True, $"'{key}' is set");
        return node.Children[key].ToString();
    }

    private static List<string> Sequence(YamlMappingNode node, string key)
    {
        Assert.That(node.Children.ContainsKey(key), Is.True, $"'{key}' is set");
        return ((YamlSequenceNode)node.Children[key]).Children.Select(c => c.ToString()).ToList();
    }
}
