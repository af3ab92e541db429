using System.Text.RegularExpressions;
using CryptoCache.FakeCoinGecko;
using CryptoCache.Tests.Deploy;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Clients;

/// <summary>
/// The official CoinGecko TypeScript SDK (clients/coingecko-sdk, version pinned) against the live API's /api/v3 with
/// a real Redis and the fake CoinGecko: every answer must equal what the fake itself gives the same SDK call, and a
/// second round of the same calls must cost no provider call.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class CoinGeckoSdkTests
{
    private static string SuiteDir => Path.Combine(RepoPaths.Root, "clients", "coingecko-sdk");

    [Test]
    public async Task OfficialSdk_AgainstLiveApi_AnswersAsCoinGeckoAndSecondRoundCostsNoCall()
    {
        Assert.That(Directory.Exists(Path.Combine(SuiteDir, "node_modules", "@coingecko", "coingecko-typescript")), Is.True,
            "clients/coingecko-sdk/node_modules is missing: run 'npm ci --prefix clients/coingecko-sdk' (scripts/test.sh does).");
        await using var fake = await FakeCoinGeckoServer.StartAsync(withControlEndpoints: true);
        await using var redis = await RedisServer.StartAsync();
        await using var api = await ApiProcess.StartAsync(ApiEnvironment.For(fake, redis));

        var result = await Tool.RunAsync("node", ["--test", "test/"], SuiteDir, TimeSpan.FromMinutes(2), new Dictionary<string, string?>
        {
            ["API_BASE_URL"] = $"http://127.0.0.1:{api.Port}/api/v3",
            ["FAKE_BASE_URL"] = fake.BaseUrl.ToString().TrimEnd('/'),
        });

        var output = result.Output + "\n" + result.Error;
        await TestContext.Out.WriteLineAsync(string.Join('\n', output.Split('\n').Where(l => l.StartsWith("# ", StringComparison.Ordinal))));
        var passed = PassCount().Match(output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, $"node --test failed in clients/coingecko-sdk:\n{output}\n--- API output ---\n{api.Output}");
            Assert.That(passed.Success && int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 20, Is.True,
                "the SDK suite ran its calls (not skipped):\n" + output);
            Assert.That(output, Does.Match(@"# skipped 0\b"), "nothing skipped: the second-round budget check ran");
        }
    }

    [GeneratedRegex(@"# pass (\d+)")]
    private static partial Regex PassCount();
}
