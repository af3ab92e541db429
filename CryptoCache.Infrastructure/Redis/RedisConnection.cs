using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Redis;

/// <summary>The one multiplexer of the process, connected on first use so that registration does no I/O.</summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly ILogger<RedisConnection> _logger;
    private readonly ThreadPoolHeadroom _headroom;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        _headroom = new ThreadPoolHeadroom(logger, () => IsConnected);
        var redis = options.Value;
        if (!RedisConnectionString.TryParse(redis.ConnectionString, out var configuration))
        {
            throw new InvalidOperationException("Redis:ConnectionString is not valid."); // validated at start; never echoes the value
        }

        // A dead Redis must cost a request milliseconds, not the default 5 s: fail fast instead of queueing,
        // keep reconnecting in the background, and never give up at start.
        if (!string.IsNullOrEmpty(redis.Password))
        {
            configuration.Password = redis.Password;
        }

        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = Math.Max(1_000, redis.TimeoutMilliseconds * 2);
        configuration.AsyncTimeout = redis.TimeoutMilliseconds;
        configuration.SyncTimeout = redis.TimeoutMilliseconds;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName = "cryptocache";
        Endpoint = string.Join(",", configuration.EndPoints.Select(e => e.ToString()));
        _multiplexer = new Lazy<Task<IConnectionMultiplexer>>(() => ConnectAsync(configuration));
    }

    /// <summary>host:port, never the password.</summary>
    public string Endpoint { get; }

    public Task<IConnectionMultiplexer> GetAsync() => _multiplexer.Value;

    /// <summary>True when connected; false when not, or not yet asked to connect.</summary>
    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully && _multiplexer.Value.Result.IsConnected;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            await (await _multiplexer.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }

        _headroom.Dispose();
    }

    private async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        multiplexer.ConnectionFailed += (_, e) =>
        {
            InfrastructureLog.RedisConnectionFailed(_logger, e.EndPoint?.ToString(), e.FailureType.ToString());
            _headroom.ConnectionFailed();
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            InfrastructureLog.RedisConnectionRestored(_logger, e.EndPoint?.ToString());
            _headroom.ConnectionRestored();
        };
        if (!multiplexer.IsConnected)
        {
            InfrastructureLog.RedisConnectionFailed(_logger, Endpoint, "NotConnectedAtStart");
        }

        return multiplexer;
    }
}
