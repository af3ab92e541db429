using CryptoCache.FakeCoinGecko;

namespace CryptoCache.Tests.Support;

/// <summary>
/// The real parts an integration test needs: the fake provider, a private redis-server (unless asked not to), and
/// as many API processes as the test starts on them. Disposing it stops everything it started.
/// </summary>
internal sealed class TestStack : IAsyncDisposable
{
    private readonly List<ApiProcess> _apis = [];

    private TestStack(FakeCoinGeckoServer fake, RedisServer? redis)
    {
        Fake = fake;
        Redis = redis;
    }

    public FakeCoinGeckoServer Fake { get; }

    public RedisServer? Redis { get; }

    public static async Task<TestStack> StartAsync(bool withRedis = true, string? redisPassword = null) =>
        new(await FakeCoinGeckoServer.StartAsync(), withRedis ? await RedisServer.StartAsync(redisPassword) : null);

    /// <summary>An API on the fake provider and this stack's Redis, with <paramref name="settings"/> on top.</summary>
    public async Task<ApiProcess> StartApiAsync(bool withManagement = false, params (string Name, string? Value)[] settings)
    {
        var api = await ApiProcess.StartAsync(ApiEnvironment.For(Fake, Redis, settings), withManagement: withManagement);
        _apis.Add(api);
        return api;
    }

    /// <summary>Several replicas sharing this stack's Redis, started together.</summary>
    public async Task<ApiProcess[]> StartReplicasAsync(int count, bool withManagement = false, params (string Name, string? Value)[] settings)
    {
        var replicas = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => ApiProcess.StartAsync(ApiEnvironment.For(Fake, Redis, settings), withManagement: withManagement)));
        _apis.AddRange(replicas);
        return replicas;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in _apis)
        {
            await api.DisposeAsync().ConfigureAwait(false);
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
        }

        await Fake.DisposeAsync().ConfigureAwait(false);
    }
}
