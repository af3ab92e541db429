using System.Globalization;
using System.Net;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;
using k8s.Models;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The published API started the way the image starts it (<c>dotnet CryptoCache.Api.dll</c> in the publish folder, no
/// arguments) with the environment a pod gets: the Dockerfile's ENV, then the ConfigMap, then the Secret. Only what
/// must differ on a test machine is changed: Redis's and CoinGecko's addresses and free ports instead of 8000 and 9090.
/// Redis is a real, password-protected redis-server using the Secret's example password.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ImageStartTests
{
    private DirectoryInfo _publish = null!;
    private string _dll = null!;
    private FakeCoinGeckoServer _fake = null!;
    private RedisServer _redis = null!;
    private ApiProcess _api = null!;
    private Dictionary<string, string?> _environment = null!;
    private int _managementPort;
    private V1Container _container = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _publish = Directory.CreateTempSubdirectory("cryptocache-publish-");
        await PublishAsync(_publish.FullName);
        _dll = Path.Combine(_publish.FullName, "CryptoCache.Api.dll");

        var manifests = K8sManifests.LoadFolder(DeployPaths.K8sBase);
        _container = manifests.Named<V1Deployment>("crypto-api").Spec.Template.Spec.Containers.Single();
        var secret = manifests.Named<V1Secret>("crypto-secrets").StringData;

        _fake = await FakeCoinGeckoServer.StartAsync();
        _redis = await RedisServer.StartAsync(password: secret["Redis__Password"]);

        var pod = PodEnvironment(manifests);
        for (var attempt = 1; ; attempt++)
        {
            // A free port is only free when chosen: if another process takes it first, choose again.
            var port = FreePort.Next();
            _managementPort = FreePort.Next();
            _environment = new Dictionary<string, string?>(pod, StringComparer.Ordinal)
            {
                ["REDIS_URL"] = new UriBuilder(pod["REDIS_URL"]!) { Host = "127.0.0.1", Port = _redis.Port }.Uri.ToString().TrimEnd('/'),
                ["CoinGecko__BaseUrl"] = _fake.BaseUrl.ToString(),
                ["ASPNETCORE_URLS"] = pod["ASPNETCORE_URLS"]!.Replace("+:8000", $"127.0.0.1:{port}", StringComparison.Ordinal),
                ["Management__Port"] = _managementPort.ToString(CultureInfo.InvariantCulture),
            };
            try
            {
                _api = await ApiProcess.StartLikeImageAsync(_environment, _dll, port, _managementPort);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        _publish?.Delete(recursive: true);
    }

    [Test]
    public async Task SeedWalkThrough_HealthThenPriceTwice_SecondComesFromRedis()
    {
        var health = await _api.GetJsonAsync("health");
        var first = await _api.GetJsonAsync("price?coin=bitcoin&currency=usd");
        var second = await _api.GetJsonAsync("price?coin=bitcoin&currency=usd");
        var stored = await _redis.KeyAppearsAsync("cryptocache:v2:price:bitcoin:usd", TimeSpan.FromSeconds(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.ToJsonString(), Is.EqualTo("""{"status":"Healthy"}"""));
            Assert.That((bool)first["cached"]!, Is.False);
            Assert.That((bool)second["cached"]!, Is.True);
            Assert.That((decimal)first["price"]!, Is.EqualTo(_fake.PriceOf("bitcoin", "usd")));
            Assert.That((decimal)second["price"]!, Is.EqualTo(_fake.PriceOf("bitcoin", "usd")));
            Assert.That(stored, Is.True,
                "stored in Redis, reached with REDIS_URL (no password) and the Secret's Redis__Password");
        }
    }

    [Test]
    public async Task Probes_EveryHttpGetOfTheDeployment_Answers200OnItsPort()
    {
        var probes = new[] { ("startupProbe", _container.StartupProbe), ("livenessProbe", _container.LivenessProbe), ("readinessProbe", _container.ReadinessProbe) };

        foreach (var (name, probe) in probes)
        {
            var get = probe?.HttpGet;
            Assert.That(get, Is.Not.Null, $"{name} is an httpGet probe");
            var port = K8sManifests.ContainerPort(_container.Ports, get!.Port)!.ContainerPort;
            using var client = Client(port);

            using var response = await client.GetAsync(new Uri(get.Path, UriKind.Relative));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{name}: GET {get.Path} on container port {port} ({get.Port.Value})");
        }
    }

    [Test]
    public async Task PrometheusAnnotations_PathAnswersOnTheAnnotatedPort()
    {
        var manifests = K8sManifests.LoadFolder(DeployPaths.K8sBase);
        var annotations = manifests.Named<V1Deployment>("crypto-api").Spec.Template.Metadata.Annotations;
        using var client = Client(int.Parse(annotations["prometheus.io/port"], CultureInfo.InvariantCulture));

        using var response = await client.GetAsync(new Uri(annotations["prometheus.io/path"], UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Contain("# TYPE"), "Prometheus text format");
        }
    }

    [TestCase("health/ready")]
    [TestCase("metrics")]
    public async Task PublicPort_ManagementPath_Is404(string path)
    {
        using var response = await _api.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "readiness and metrics stay off the public port");
    }

    [Test]
    public async Task ConfigMap_BadValue_StopsTheAppWithExitCode1NamingTheKey()
    {
        var environment = new Dictionary<string, string?>(_environment) { ["CACHE_TTL_SECONDS"] = "0" };

        await using var api = await ApiProcess.RunLikeImageToExitAsync(environment, _dll, TimeSpan.FromSeconds(30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(api.ExitCode, Is.EqualTo(1), api.Output);
            Assert.That(api.Output, Does.Contain("Cache:TtlSeconds"), "the pod's log says which key is wrong");
        }
    }

    /// <summary>What the container gets: the image's ENV, overridden by envFrom ConfigMap, then Secret (as listed in the pod).</summary>
    private Dictionary<string, string?> PodEnvironment(K8sManifests manifests)
    {
        var environment = DockerfileModel.Load(DeployPaths.ApiDockerfile).Final.Environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        foreach (var source in _container.EnvFrom)
        {
            var values = source.ConfigMapRef is { } configMap
                ? manifests.Named<V1ConfigMap>(configMap.Name).Data
                : manifests.Named<V1Secret>(source.SecretRef.Name).StringData;
            foreach (var (name, value) in values)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>A client for a container port: 8000 is the API's public port, 9090 its management port, as mapped here.</summary>
    private HttpClient Client(int containerPort)
    {
        var port = containerPort switch
        {
            8000 => _api.Port,
            9090 => _managementPort,
            _ => throw new AssertionException($"container port {containerPort} is neither the public (8000) nor the management (9090) port"),
        };
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    private static async Task PublishAsync(string output)
    {
        // The Dockerfile's publish command, so this is also the offline stand-in for the image's build step. Same
        // properties as a normal build: after "dotnet test -c Release" (CI) it compiles nothing and takes a few seconds.
        // No build servers: nothing of this test stays running after it.
        var result = await Tool.RunAsync(
            "dotnet",
            ["publish", "CryptoCache.Api/CryptoCache.Api.csproj", "-c", "Release", "-o", output, "--no-restore", "-p:UseAppHost=false", "--nologo", "--disable-build-servers"],
            RepoPaths.Root,
            TimeSpan.FromMinutes(5));
        Assert.That(result.ExitCode, Is.Zero, $"dotnet publish: {result}");
    }
}
