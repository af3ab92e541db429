using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>Says in one line at start which cache the service runs on, so that an in-process cache is never a surprise.</summary>
internal sealed class CacheModeReporter(IServiceProvider services, ILogger<CacheModeReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<RedisConnection>() is { } redis)
        {
            InfrastructureLog.RedisMode(logger, redis.Endpoint);
        }
        else
        {
            InfrastructureLog.InProcessMode(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
