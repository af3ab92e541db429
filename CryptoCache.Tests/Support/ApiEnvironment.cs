using CryptoCache.FakeCoinGecko;

namespace CryptoCache.Tests.Support;

internal static class ApiEnvironment
{
    /// <summary>The API pointed at the fake provider (and Redis, when given), with timeouts short enough for tests.</summary>
    public static Dictionary<string, string?> For(FakeCoinGeckoServer fake, RedisServer? redis, params (string Name, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["CoinGecko__BaseUrl"] = fake.BaseUrl.ToString(),
            ["CoinGecko__TimeoutSeconds"] = "2",
            ["Provider__MaxCallsPerMinute"] = "1000",
            ["Logging__LogLevel__Default"] = "Information",
            // Every test process is one client (127.0.0.1), and a fixture's tests share one API: fair share would spend
            // its share across unrelated tests. It has its own tests (FairShareTests), which turn it back on.
            ["Clients__MaxColdPairsPerMinute"] = "0",
            ["Clients__MaxBudgetShare"] = "1",
        };
        if (redis is not null)
        {
            environment["REDIS_URL"] = redis.Url;
        }

        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }
}
