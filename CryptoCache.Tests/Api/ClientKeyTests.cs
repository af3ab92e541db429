using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Api;

/// <summary>Optional client keys (<c>Clients:ApiKeys</c>): 401 without a valid key, liveness and the management port open, keys never logged.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClientKeyTests
{
    private const string Secret = "s3cret-key-0123456789abcdef";
    private const string OtherSecret = "other-key-abcdef0123456789";

    private TestStack _stack = null!;
    private ApiProcess _api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.StartAsync();
        // Request logging at Information, so that the test would see a key if anything logged the request line.
        _api = await _stack.StartApiAsync(withManagement: true,
            ("Clients__ApiKeys", $"bots:{Secret}:500,dashboards:{OtherSecret}"),
            ("Logging__LogLevel__Microsoft.AspNetCore", "Information"),
            ("Logging__LogLevel__CryptoCache", "Debug"));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(string path, string? header = null, string? value = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (header is not null)
        {
            request.Headers.Add(header, value);
        }

        return await _api.Http.SendAsync(request);
    }

    [TestCase("price?coin=bitcoin&currency=usd")]
    [TestCase("prices?coins=bitcoin&currencies=usd")]
    [TestCase("currencies")]
    public async Task KeysOn_NoOrWrongKey_401ProblemDetails(string path)
    {
        using var none = await SendAsync(path);
        using var wrong = await SendAsync(path, "X-Api-Key", "not-a-configured-key-000000");

        await Problem.AssertAsync(none, 401);
        await Problem.AssertAsync(wrong, 401);
        Assert.That(none.Headers.WwwAuthenticate.ToString(), Does.Contain("X-Api-Key"));
    }

    [Test]
    public async Task KeysOn_ValidKey_200OnEveryKindOfPresentation()
    {
        using var header = await SendAsync("price?coin=bitcoin&currency=usd", "X-Api-Key", Secret);
        using var other = await SendAsync("prices?coins=ethereum&currencies=usd", "X-Api-Key", OtherSecret);
        using var demoHeader = await SendAsync("api/v3/simple/price?ids=bitcoin&vs_currencies=usd", "x-cg-demo-api-key", Secret);
        using var proHeader = await SendAsync("api/v3/simple/price?ids=bitcoin&vs_currencies=usd", "x-cg-pro-api-key", OtherSecret);
        using var parameter = await SendAsync($"api/v3/simple/price?ids=bitcoin&vs_currencies=usd&x_cg_demo_api_key={Secret}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(header.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(demoHeader.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(proHeader.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(parameter.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task KeysOn_CoinGeckoPathWithoutKey_401InCoinGeckosShape()
    {
        using var response = await SendAsync("api/v3/simple/price?ids=bitcoin&vs_currencies=usd&x_cg_demo_api_key=wrong-key-00000000000");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((int?)body["status"]?["error_code"], Is.EqualTo(401));
            Assert.That((string?)body["status"]?["error_message"], Is.Not.Empty);
        }
    }

    [Test]
    public async Task KeysOn_LivenessPingAndManagementPort_StayOpen()
    {
        using var health = await SendAsync("health");
        using var ping = await SendAsync("api/v3/ping");
        using var metrics = await _api.Management!.GetAsync(new Uri("metrics", UriKind.Relative));
        using var ready = await _api.Management!.GetAsync(new Uri("health/ready", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ping.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await metrics.Content.ReadAsStringAsync(), Does.Contain("cryptocache_client_quota_total{outcome=\"allowed\"}"));
        }
    }

    [Test]
    public async Task KeysOn_AfterRequestsWithKeys_NoKeyInTheOutput()
    {
        using (await SendAsync($"api/v3/simple/price?ids=cardano&vs_currencies=usd&x_cg_pro_api_key={Secret}"))
        using (await SendAsync("price?coin=cardano&currency=usd", "X-Api-Key", OtherSecret))
        using (await SendAsync("price?coin=cardano&currency=usd", "X-Api-Key", "wrong-key-should-not-show-0000"))
        {
        }

        await Task.Delay(300); // the console logger writes on its own thread
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_api.Output, Does.Contain("Executing").Or.Contain("Request"), "request logging was on");
            Assert.That(_api.Output, Does.Not.Contain(Secret));
            Assert.That(_api.Output, Does.Not.Contain(OtherSecret));
            Assert.That(_api.Output, Does.Not.Contain("wrong-key-should-not-show"));
        }
    }

    [TestCase("Clients__ApiKeys__0", "bots:short")]
    [TestCase("Clients__ApiKeys__0", "no-name-separator-0123456789")]
    [TestCase("Clients__ApiKeys", "bots:aaaaaaaaaaaaaaaaaaaa,bots:bbbbbbbbbbbbbbbbbbbbbb")]
    [TestCase("Clients__ApiKeys__0", "bots:aaaaaaaaaaaaaaaaaaaa:lots")]
    public async Task Start_BadKeyConfiguration_ExitsWithOneLineNamingTheKeyWithoutTheSecret(string name, string value)
    {
        var api = await ApiProcess.RunToExitAsync(new Dictionary<string, string?> { [name] = value }, TimeSpan.FromSeconds(30));
        await using (api)
        {
            var line = api.Output.Split('\n').Where(l => l.Contains("Configuration error", StringComparison.Ordinal)).ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(api.ExitCode, Is.EqualTo(1));
                Assert.That(line, Is.Not.Empty);
                Assert.That(api.Output, Does.Contain("Clients:ApiKeys"));
                Assert.That(api.Output, Does.Not.Contain("aaaaaaaaaaaaaaaaaaaa").And.Not.Contain("no-name-separator"));
            }
        }
    }
}
