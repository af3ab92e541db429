using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Api;

/// <summary>Operators' endpoints live on the management port only; CORS lets only configured origins in.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ManagementPortTests
{
    private const string AllowedOrigin = "https://app.example.com";

    private TestStack _stack = null!;
    private ApiProcess _api = null!;

    private FakeCoinGeckoServer _fake => _stack.Fake;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.StartAsync();
        _api = await _stack.StartApiAsync(withManagement: true, ("Cors__AllowedOrigins__0", AllowedOrigin));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _stack.DisposeAsync();

    [Test]
    public async Task Metrics_AfterLookups_ExposeCacheProviderBudgetAndHttpMetrics()
    {
        await _api.GetJsonAsync("price?coin=dogecoin&currency=usd");
        await _api.GetJsonAsync("price?coin=dogecoin&currency=usd");

        var metrics = await _api.Management!.GetStringAsync(new Uri("metrics", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metrics, Does.Match(@"cryptocache_cache_lookups_total\{result=""hit""\} [1-9]"));
            Assert.That(metrics, Does.Match(@"cryptocache_cache_lookups_total\{result=""miss""\} [1-9]"));
            Assert.That(metrics, Does.Match(@"cryptocache_provider_requests_total\{outcome=""success""\} [1-9]"));
            Assert.That(metrics, Does.Contain("cryptocache_provider_request_duration_seconds_bucket"));
            Assert.That(metrics, Does.Match(@"cryptocache_provider_budget_remaining \d+"));
            Assert.That(metrics, Does.Contain("cryptocache_provider_batch_pairs_bucket"));
            // Counted per endpoint and status, with prometheus-net's names and labels.
            Assert.That(metrics, Does.Match(
                @"http_requests_received_total\{code=""200"",method=""GET"",controller=""Prices"",action=""GetPrice"",endpoint=""price""\} [2-9]"));
            Assert.That(metrics, Does.Match(
                @"http_request_duration_seconds_count\{code=""200"",method=""GET"",controller=""Prices"",action=""GetPrice"",endpoint=""price""\} [2-9]"));
            Assert.That(metrics, Does.Match(@"http_requests_in_progress\{method=""GET"",controller=""Prices"",action=""GetPrice"",endpoint=""price""\} 0"));
        }
    }

    [Test]
    public async Task Metrics_RuntimeFromItsMeter_WithoutTheEventCounterAdapter()
    {
        await _api.GetJsonAsync("price?coin=dogecoin&currency=usd");

        var metrics = await _api.Management!.GetStringAsync(new Uri("metrics", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            // The runtime's and the process's figures are exported...
            Assert.That(metrics, Does.Match(@"system_runtime_dotnet_gc_collections\{[^}]*\} \d+"));
            Assert.That(metrics, Does.Match(@"system_runtime_dotnet_thread_pool_thread_count \d+"));
            Assert.That(metrics, Does.Match(@"process_cpu_seconds_total \d"));
            // ...and no event counter adapter runs: it enabled the hosting, Kestrel and sockets event sources, which then
            // count every request and socket operation in shared counters, and exported none of their figures.
            Assert.That(metrics, Does.Not.Contain("eventcounteradapter"));
        }
    }

    [TestCase("metrics")]
    [TestCase("health/ready")]
    [TestCase("admin/cache/stats")]
    public async Task OperatorEndpoint_OnPublicPort_Is404(string path)
    {
        using var response = await _api.GetAsync(path);

        await Problem.AssertAsync(response, 404);
    }

    [Test]
    public async Task PublicEndpoint_OnManagementPort_Is404()
    {
        using var response = await _api.Management!.GetAsync(new Uri("price?coin=bitcoin&currency=usd", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Liveness_OnBothPorts_IsHealthy()
    {
        using var management = await _api.Management!.GetAsync(new Uri("health", UriKind.Relative));
        using var publicPort = await _api.GetAsync("health");

        Assert.That((management.StatusCode, publicPort.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Readiness_AllUp_IsHealthyWithEachCheck()
    {
        using var response = await _api.Management!.GetAsync(new Uri("health/ready", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)body["status"], Is.EqualTo("Healthy"));
            Assert.That(body["checks"]!.AsObject().Select(c => c.Key), Is.SupersetOf(new[] { "redis", "provider", "lifecycle" }));
        }
    }

    [Test]
    public async Task Readiness_ProviderFailing_IsDegradedButStillReady()
    {
        _fake.Mode = FakeMode.ServerError;
        try
        {
            using var price = await _api.GetAsync("price?coin=coin-777&currency=usd");
            using var response = await _api.Management!.GetAsync(new Uri("health/ready", UriKind.Relative));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That((string?)body["status"], Is.EqualTo("Degraded"));
                Assert.That((string?)body["checks"]!["provider"]!["description"], Does.Contain("Provider unavailable"));
            }
        }
        finally
        {
            _fake.Reset();
        }
    }

    [Test]
    public async Task Stats_AfterLookups_ReportHitsEntriesAndBudget()
    {
        await _api.GetJsonAsync("price?coin=ripple&currency=eur");
        await _api.GetJsonAsync("price?coin=ripple&currency=eur");

        var stats = JsonNode.Parse(await _api.Management!.GetStringAsync(new Uri("admin/cache/stats", UriKind.Relative)))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((long)stats["hits"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That((long)stats["misses"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That((long)stats["entries"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That((double)stats["hitRatio"]!, Is.InRange(0.0, 1.0));
            Assert.That((int)stats["providerCallsLastMinute"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That((bool)stats["distributed"]!, Is.True);
        }
    }

    [Test]
    public async Task Purge_InvalidCoin_Is400Problem()
    {
        using var response = await _api.Management!.DeleteAsync(new Uri("admin/cache/prices/b@d", UriKind.Relative));

        await Problem.AssertAsync(response, 400);
    }

    [TestCase(AllowedOrigin, true)]
    [TestCase("https://evil.example.org", false)]
    public async Task CorsPreflight_FromOrigin_AllowedOnlyWhenConfigured(string origin, bool allowed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "price?coin=bitcoin&currency=usd");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await _api.Http.SendAsync(request);

        var allowOrigin = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        Assert.That(allowOrigin, allowed ? Is.EqualTo(origin) : Is.Null);
    }

    [Test]
    public async Task CorsRequest_FromAllowedOrigin_ExposesAge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "price?coin=bitcoin&currency=usd");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await _api.Http.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(AllowedOrigin));
            Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("Age"));
        }
    }
}
