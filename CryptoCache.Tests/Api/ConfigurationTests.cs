using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Api;

/// <summary>Configuration is validated at start: a bad value stops the app with a message naming the key.</summary>
[TestFixture]
public sealed class ConfigurationTests
{
    [TestCase("CACHE_TTL_SECONDS", "0", "Cache:TtlSeconds")]
    [TestCase("CACHE_TTL_SECONDS", "abc", "Cache:TtlSeconds")]
    [TestCase("DEFAULT_COIN", "bit coin!", "Prices:DefaultCoin")]
    [TestCase("DEFAULT_CURRENCY", "us dollar", "Prices:DefaultCurrency")]
    [TestCase("CoinGecko__Plan", "gold", "CoinGecko:Plan")]
    [TestCase("CoinGecko__BaseUrl", "ftp://example", "CoinGecko:BaseUrl")]
    [TestCase("Provider__MaxCallsPerMinute", "0", "Provider:MaxCallsPerMinute")]
    [TestCase("Management__Port", "70000", "Management:Port")]
    [TestCase("Cors__AllowedOrigins__0", "not an origin", "Cors:AllowedOrigins")]
    public async Task Start_InvalidValue_ExitsWithMessageNamingTheKey(string name, string value, string key)
    {
        var api = await ApiProcess.RunToExitAsync(new Dictionary<string, string?> { [name] = value }, TimeSpan.FromSeconds(30));
        await using (api)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(api.ExitCode, Is.EqualTo(1));
                Assert.That(api.Output, Does.Contain("Configuration error").And.Contain(key));
            }
        }
    }

    [Test]
    public async Task Start_ManagementPortInUse_ExitsWithOneLineNamingTheKey()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var api = await ApiProcess.RunToExitAsync(new Dictionary<string, string?> { ["Management__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, TimeSpan.FromSeconds(30));
        await using (api)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(api.ExitCode, Is.EqualTo(1));
                Assert.That(api.Output, Does.Contain($"Management port {port} is already in use").And.Contain("Management:Port"));
                Assert.That(api.Output, Does.Not.Contain("   at "), "no stack trace");
            }
        }
    }

    [Test]
    public async Task Start_UnreadableConfigurationFile_ExitsWithOneLineNamingTheFile()
    {
        var environment = "Unreadable" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetDirectoryName(RepoPaths.ApiDll)!, $"appsettings.{environment}.json");
        await File.WriteAllTextAsync(file, "{ \"Cache\": { \"TtlSeconds\": 30, ");
        try
        {
            var api = await ApiProcess.RunToExitAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = environment }, TimeSpan.FromSeconds(30));
            await using (api)
            {
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(api.ExitCode, Is.EqualTo(1));
                    Assert.That(api.Output, Does.Contain("Configuration error").And.Contain($"appsettings.{environment}.json"));
                    Assert.That(api.Output, Does.Not.Contain("   at "), "no stack trace");
                }
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Start_InvalidRedisUrl_NamesTheKeyWithoutEchoingThePassword()
    {
        var api = await ApiProcess.RunToExitAsync(new Dictionary<string, string?> { ["REDIS_URL"] = "redis://:s3cret-pw@bad host:notaport" }, TimeSpan.FromSeconds(30));
        await using (api)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(api.ExitCode, Is.EqualTo(1));
                Assert.That(api.Output, Does.Contain("Redis:ConnectionString"));
                Assert.That(api.Output, Does.Not.Contain("s3cret-pw"));
            }
        }
    }

    [Test]
    public async Task NoRedis_SeedWalkThrough_WorksOnTheInProcessCacheAndSaysSo()
    {
        await using var stack = await TestStack.StartAsync(withRedis: false);
        var fake = stack.Fake;
        var api = await stack.StartApiAsync();

        var first = await api.GetJsonAsync("price?coin=bitcoin&currency=usd");
        var second = await api.GetJsonAsync("price?coin=bitcoin&currency=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)first["cached"]!, Is.False);
            Assert.That((bool)second["cached"]!, Is.True);
            Assert.That(fake.PriceCalls, Is.EqualTo(1));
            Assert.That(api.Output.Split('\n').Count(l => l.Contains("in-process only", StringComparison.Ordinal)), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Logs_InProduction_AreJsonLinesCarryingTheRequestsTraceId()
    {
        await using var stack = await TestStack.StartAsync(withRedis: false);
        var api = await stack.StartApiAsync(settings: ("Logging__LogLevel__CryptoCache", "Debug"));
        stack.Fake.Mode = FakeCoinGecko.FakeMode.ServerError;

        using var response = await api.GetAsync("price?coin=coin-42&currency=usd");
        var traceId = (string)(await Problem.AssertAsync(response, 503))["traceId"]!;
        await Task.Delay(200); // the console logger writes on its own thread

        var entries = api.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        var answered503 = entries.SingleOrDefault(e => (int?)e["EventId"] == 1002);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Is.Not.Empty, "JSON console lines");
            Assert.That(answered503, Is.Not.Null, api.Output);
            Assert.That(answered503?["Scopes"]?.ToJsonString(), Does.Contain(traceId.Split('-')[1]), "the log line carries the trace id the client saw");
        }
    }

    [Test]
    public async Task RedisWithPassword_PasswordFromItsOwnKey_WorksAndIsNeverLogged()
    {
        const string password = "p@ss:w/rd-123";
        await using var stack = await TestStack.StartAsync(redisPassword: password);
        var redis = stack.Redis!;
        var api = await stack.StartApiAsync(settings:
            [("REDIS_URL", $"redis://127.0.0.1:{redis.Port}"), ("Redis__Password", password), ("CoinGecko__ApiKey", "CG-secret-key-42")]);

        await api.GetJsonAsync("price?coin=bitcoin&currency=usd");
        var stored = await redis.KeyAppearsAsync("cryptocache:v2:price:bitcoin:usd", TimeSpan.FromSeconds(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.True);
            Assert.That(api.Output, Does.Not.Contain(password));
            Assert.That(api.Output, Does.Not.Contain("CG-secret-key-42"));
        }
    }
}
