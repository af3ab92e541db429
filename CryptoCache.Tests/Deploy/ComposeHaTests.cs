using System.Net;
using CryptoCache.Infrastructure.Redis;
using CryptoCache.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The Compose HA variant (docker-compose.yml + docker-compose.ha.yml): one primary, two replicas, three sentinels,
/// the API asking the sentinels. Checked offline by <c>docker-compose config</c>, then read from its rendered form.
/// </summary>
[TestFixture]
public sealed class ComposeHaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Sentinels = ["sentinel-1", "sentinel-2", "sentinel-3"];
    private string _compose = null!;
    private YamlMappingNode _services = null!;
    private YamlMappingNode _rendered = null!;
    private string _password = null!;

    [OneTimeSetUp]
    public async Task RenderAsync()
    {
        _compose = Tool.Find("docker-compose")
            ?? throw new AssertionException("docker-compose is not installed. .ci/run installs it with: apt-get install -y --no-install-recommends docker-compose");
        _password = File.ReadAllLines(DeployPaths.ComposeEnvExample).Single(l => l.StartsWith("REDIS_PASSWORD=", StringComparison.Ordinal))["REDIS_PASSWORD=".Length..];

        var result = await RunAsync(["--env-file", DeployPaths.ComposeEnvExample, "config"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var yaml = new YamlStream();
        yaml.Load(new StringReader(result.Output));
        _rendered = (YamlMappingNode)yaml.Documents[0].RootNode;
        _services = Map(_rendered, "services");
    }

    [Test]
    public async Task ConfigQuiet_BothFilesWithTheExampleEnvFile_ExitsZero()
    {
        var result = await RunAsync(["--env-file", DeployPaths.ComposeEnvExample, "config", "-q"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task Config_WithoutRedisPassword_FailsNamingTheVariable()
    {
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

        Assert.That((result.ExitCode, result.Error.Contains("REDIS_PASSWORD", StringComparison.Ordinal)), Is.EqualTo((1, true)), result.ToString());
    }

    [Test]
    public void Services_APrimaryTwoReplicasAndThreeSentinels_OfTheOfficialImage()
    {
        var redisNodes = new[] { "redis", "redis-replica-1", "redis-replica-2" };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_services.Children.Keys.Select(k => k.ToString()),
                Is.EquivalentTo(new[] { "redis", "redis-replica-1", "redis-replica-2", "sentinel-1", "sentinel-2", "sentinel-3", "api", "proxy", "curl" }));
            foreach (var name in redisNodes.Concat(Sentinels))
            {
                Assert.That(Scalar(Map(_services, name), "image"), Does.Match("^redis:[0-9]"), $"{name}: Docker Hub's official redis");
                Assert.That(Map(_services, name).Children.ContainsKey("ports"), Is.False, $"{name}: reachable from the Compose network only");
            }

            Assert.That(Images(), Has.All.Matches<string>(ImageReference.IsValid), "valid lower-case image references");
            Assert.That(Images(), Has.None.Contains("bitnami"));
        }
    }

    [Test]
    public void RedisNodes_ShareOnePassword_AndReplicasFollowThePrimary()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var name in new[] { "redis", "redis-replica-1", "redis-replica-2" })
            {
                var command = Sequence(Map(_services, name), "command");
                Assert.That(command[command.IndexOf("--requirepass") + 1], Is.EqualTo(_password), $"{name}: requirepass");
                Assert.That(command[command.IndexOf("--masterauth") + 1], Is.EqualTo(_password), $"{name}: masterauth, to follow a new primary");
                Assert.That(command[command.IndexOf("--replica-announce-ip") + 1], Is.EqualTo(name), $"{name}: known to the sentinels by its service name");
                if (name == "redis")
                {
                    Assert.That(command, Does.Not.Contain("--replicaof"), "the first primary");
                }
                else
                {
                    Assert.That(command[(command.IndexOf("--replicaof") + 1)..(command.IndexOf("--replicaof") + 3)], Is.EqualTo(new[] { "redis", "6379" }));
                    Assert.That(Scalar(Map(Map(Map(_services, name), "depends_on"), "redis"), "condition"), Is.EqualTo("service_healthy"));
                    Assert.That(Sequence(Map(_services, name), "volumes").Single(), Does.StartWith($"{name}-data:/data"), "a named volume of its own");
                }
            }
        }
    }

    [Test]
    public void Sentinels_RunAWritableCopyOfSentinelConf_WithThePassword()
    {
        var conf = File.ReadAllLines(DeployPaths.SentinelConf);
        var monitor = conf.Single(l => l.StartsWith("sentinel monitor ", StringComparison.Ordinal)).Split(' ');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(monitor[2..], Is.EqualTo(new[] { "mymaster", "redis", "6379", "2" }), "the primary service, quorum 2 of 3");
            Assert.That(conf, Does.Contain("sentinel resolve-hostnames yes"));
            Assert.That(conf.Any(l => l.Contains("pass", StringComparison.Ordinal) && !l.StartsWith('#')), Is.False, "no password in the file in git");
            foreach (var name in Sentinels)
            {
                var sentinel = Map(_services, name);
                var script = Sequence(sentinel, "command")[^1];
                var environment = Map(sentinel, "environment");
                Assert.That(Sequence(sentinel, "volumes").Single(), Is.EqualTo($"{DeployPaths.SentinelConf}:/etc/sentinel.conf:ro"));
                Assert.That(script, Does.Contain("cp /etc/sentinel.conf /data/sentinel.conf"), $"{name}: a writable copy, Sentinel rewrites it");
                Assert.That(script, Does.Contain("exec redis-server /data/sentinel.conf --sentinel"));
                Assert.That(script, Does.Contain("sentinel auth-pass mymaster").And.Contain("requirepass").And.Contain("sentinel sentinel-pass"));
                Assert.That(Scalar(environment, "REDIS_PASSWORD"), Is.EqualTo(_password));
                Assert.That(Scalar(environment, "SENTINEL_NAME"), Is.EqualTo(name));
                Assert.That(string.Join(' ', Sequence(Map(sentinel, "healthcheck"), "test")), Does.Contain("-p 26379"));
            }
        }
    }

    [Test]
    public void Api_AsksTheSentinelsForTheMonitoredMaster()
    {
        var api = Map(_services, "api");
        var environment = Map(api, "environment");
        var masterName = File.ReadAllLines(DeployPaths.SentinelConf).Single(l => l.StartsWith("sentinel monitor ", StringComparison.Ordinal)).Split(' ')[2];

        Assert.That(RedisConnectionString.TryParse(Scalar(environment, "REDIS_URL"), out var options), Is.True, "the app accepts it");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.EndPoints, Is.EquivalentTo(Sentinels.Select(s => new DnsEndPoint(s, 26379))));
            Assert.That(options.ServiceName, Is.EqualTo(masterName));
            Assert.That(options.Password, Is.Null);
            Assert.That(Scalar(environment, "Redis__Password"), Is.EqualTo(_password), "the password apart, for sentinels and Redis");
            foreach (var sentinel in Sentinels)
            {
                Assert.That(Scalar(Map(Map(api, "depends_on"), sentinel), "condition"), Is.EqualTo("service_healthy"));
            }

            Assert.That(int.Parse(Scalar(Map(api, "deploy"), "replicas"), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
        }
    }

    private List<string> Images() => _services.Children.Values.Cast<YamlMappingNode>().Select(s => Scalar(s, "image")).ToList();

    private async Task<ToolResult> RunAsync(IEnumerable<string> arguments) =>
        await Tool.RunAsync(_compose, new[] { "-f", DeployPaths.Compose, "-f", DeployPaths.ComposeHa }.Concat(arguments), RepoPaths.Root, Timeout,
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
