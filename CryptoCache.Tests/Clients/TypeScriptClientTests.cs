using System.Text.Json;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Deploy;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Clients;

/// <summary>
/// The TypeScript client in clients/typescript: that it is generated from the document the API serves today
/// (no drift), and that its own tests pass against the real API, a real Redis and the fake provider.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TypeScriptClientTests
{
    private const string Regenerate =
        "Regenerate it: 'clients/typescript/scripts/regenerate.sh' (builds and starts the API, writes openapi.json, runs 'npm run generate'), "
        + "or update clients/typescript/openapi.json from GET /swagger/v1/swagger.json and run 'npm run generate' in clients/typescript; "
        + "then commit openapi.json and src/client.ts.";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private FakeCoinGeckoServer? _fake;
    private RedisServer? _redis;
    private ApiProcess? _api;

    private static string ClientDir => Path.Combine(RepoPaths.Root, "clients", "typescript");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        foreach (var tool in new[] { "node_modules/nswag/bin/nswag.js", "node_modules/typescript/bin/tsc" })
        {
            if (!File.Exists(Path.Combine(ClientDir, tool)))
            {
                Assert.Fail($"clients/typescript/{tool} is missing: run 'npm ci --prefix clients/typescript' from the repository root (.ci/run does).");
            }
        }

        _fake = await FakeCoinGeckoServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        _api = await ApiProcess.StartAsync(ApiEnvironment.For(_fake, _redis));
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
    }

    [Test]
    public async Task OpenApiDocument_ServedByApi_EqualsCommittedDocument()
    {
        var served = JsonNode.Parse(await DownloadDocumentAsync());
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ClientDir, "openapi.json")));

        Assert.That(JsonNode.DeepEquals(served, committed), Is.True,
            "clients/typescript/openapi.json differs from the document the API serves, "
            + FirstDifference(committed!.ToJsonString(Indented), served!.ToJsonString(Indented)) + "\n" + Regenerate);
    }

    [Test]
    public async Task GeneratedClient_FromServedDocument_EqualsCommittedClient()
    {
        var work = Directory.CreateTempSubdirectory("cryptocache-tsclient-");
        try
        {
            // The committed settings, applied to the document served now; relative paths in nswag.json resolve here.
            File.Copy(Path.Combine(ClientDir, "nswag.json"), Path.Combine(work.FullName, "nswag.json"));
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "openapi.json"), await DownloadDocumentAsync());
            Directory.CreateDirectory(Path.Combine(work.FullName, "src"));

            var (exitCode, output) = await RunAsync("node", [Path.Combine(ClientDir, "node_modules", "nswag", "bin", "nswag.js"), "run", "nswag.json"], work.FullName);
            Assert.That(exitCode, Is.Zero, "nswag failed:\n" + output);

            var generated = Lf(await File.ReadAllTextAsync(Path.Combine(work.FullName, "src", "client.ts")));
            var committed = Lf(await File.ReadAllTextAsync(Path.Combine(ClientDir, "src", "client.ts")));
            Assert.That(generated == committed, Is.True,
                "clients/typescript/src/client.ts is not what NSwag generates from the served document, " + FirstDifference(committed, generated) + "\n" + Regenerate);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Test]
    public async Task NodeTests_AgainstLiveApi_Pass()
    {
        var build = await RunAsync("npm", ["run", "build"], ClientDir);
        Assert.That(build.ExitCode, Is.Zero, "npm run build failed in clients/typescript:\n" + build.Output);

        var test = await RunAsync("node", ["--test", "test/"], ClientDir, ("CRYPTOCACHE_URL", $"http://127.0.0.1:{_api!.Port}"));

        Assert.That(test.ExitCode, Is.Zero, $"node --test test/ failed in clients/typescript:\n{test.Output}\n--- API output ---\n{_api.Output}");
    }

    private async Task<string> DownloadDocumentAsync()
    {
        using var response = await _api!.GetAsync("swagger/v1/swagger.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"GET /swagger/v1/swagger.json → {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, params (string Name, string Value)[] environment)
    {
        // Only what the test passes: a CRYPTOCACHE_URL from the developer's shell must not point the tests elsewhere.
        var variables = new Dictionary<string, string?> { ["CRYPTOCACHE_URL"] = null, ["npm_config_update_notifier"] = "false" };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var result = await Tool.RunAsync(fileName, arguments, workingDirectory, CommandTimeout, variables);
        return (result.ExitCode, $"{result.Output}\n--- stderr ---\n{result.Error}");
    }

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string committed, string current)
    {
        var expected = committed.Split('\n');
        var actual = current.Split('\n');
        for (var i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            var was = i < expected.Length ? expected[i] : "<end of file>";
            var now = i < actual.Length ? actual[i] : "<end of file>";
            if (!string.Equals(was, now, StringComparison.Ordinal))
            {
                return $"first at line {i + 1}:\n  committed: {was.Trim()}\n  now:       {now.Trim()}";
            }
        }

        return "in formatting only.";
    }
}
