using System.Net;
using CryptoCache.Infrastructure.Redis;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The Sentinel form of <c>Redis:ConnectionString</c> that deploy/k8s/overlays/ha and the Compose HA file give the API:
/// the app accepts it as a StackExchange.Redis configuration string and keeps every sentinel and the master's name.
/// </summary>
public sealed class SentinelConnectionStringTests
{
    [Test]
    public void TryParse_SentinelsAndServiceName_KeepsEverySentinelAndTheMasterName()
    {
        const string value = "redis-0.redis-headless:26379,redis-1.redis-headless:26379,redis-2.redis-headless:26379,serviceName=mymaster";

        Assert.That(RedisConnectionString.TryParse(value, out var options), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.EndPoints, Is.EqualTo(new[]
            {
                new DnsEndPoint("redis-0.redis-headless", 26379), new DnsEndPoint("redis-1.redis-headless", 26379), new DnsEndPoint("redis-2.redis-headless", 26379),
            }));
            Assert.That(options.ServiceName, Is.EqualTo("mymaster"));
            Assert.That(options.Password, Is.Null, "the password comes apart, from Redis__Password");
        }
    }

    [Test]
    public void TryParse_LoopbackSentinels_AsTheFailoverTestGivesThem_IsAccepted()
    {
        Assert.That(RedisConnectionString.TryParse("127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381,serviceName=mymaster", out var options), Is.True);

        Assert.That((options.EndPoints.Count, options.ServiceName), Is.EqualTo((3, "mymaster")));
    }
}
