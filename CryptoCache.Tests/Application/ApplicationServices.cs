using CryptoCache.Application;
using CryptoCache.Application.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;

namespace CryptoCache.Tests.Application;

/// <summary>The Application layer as registered by AddApplication, with its ports mocked.</summary>
internal static class ApplicationServices
{
    public static ServiceProvider Build(IPriceRepository repository, IPriceProvider client, IDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddApplication();
        services.AddSingleton(repository);
        services.AddSingleton(client);
        services.AddSingleton(Mock.Of<ICacheStatistics>());
        services.AddSingleton(Mock.Of<IEngineMetrics>());
        services.AddSingleton(Mock.Of<IRefreshCoordinator>());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
