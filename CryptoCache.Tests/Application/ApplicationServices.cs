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
    public static ServiceProvider Build(IPriceRepository repository, IPriceProvider client, IDictionary<string, string?>? settings = null, IClientQuota? quota = null, IClientContext? clientContext = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddApplication();
        services.AddSingleton(repository);
        services.AddSingleton(client);
        services.AddSingleton(TestPorts.NoOtherReplica().Object);
        services.AddSingleton(Mock.Of<ICacheStatistics>());
        services.AddSingleton(Mock.Of<IEngineMetrics>());
        services.AddSingleton(Mock.Of<IRefreshCoordinator>());
        services.AddSingleton(clientContext ?? Mock.Of<IClientContext>(c => c.Current == new ClientIdentity("test-client", null)));
        services.AddSingleton(quota ?? AllowAll().Object);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A quota that charges every cold pair it is asked about.</summary>
    public static Mock<IClientQuota> AllowAll()
    {
        var quota = new Mock<IClientQuota>();
        quota.Setup(q => q.TryChargeAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns((string _, int pairs, int _, int _, CancellationToken _) => ValueTask.FromResult(new ClientQuotaDecision(pairs, TimeSpan.Zero)));
        return quota;
    }
}
