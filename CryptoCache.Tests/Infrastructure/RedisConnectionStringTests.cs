using System.Net;
using CryptoCache.Infrastructure.Redis;

namespace CryptoCache.Tests.Infrastructure;

public sealed class RedisConnectionStringTests
{
    [Test]
    public void TryParse_SeedUrlWithPasswordAndDatabase_ReadsEveryPart()
    {
        Assert.That(RedisConnectionString.TryParse("redis://:p%40ss@redis:6380/2", out var options), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.EndPoints.Single(), Is.EqualTo(new DnsEndPoint("redis", 6380)));
            Assert.That(options.Password, Is.EqualTo("p@ss"));
            Assert.That(options.DefaultDatabase, Is.EqualTo(2));
            Assert.That(options.Ssl, Is.False);
        }
    }

    [Test]
    public void TryParse_TlsUrlWithUserAndDefaultPort_UsesSslAnd6379()
    {
        Assert.That(RedisConnectionString.TryParse("rediss://app:secret@cache.example", out var options), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.EndPoints.Single(), Is.EqualTo(new DnsEndPoint("cache.example", 6379)));
            Assert.That(options.User, Is.EqualTo("app"));
            Assert.That(options.Password, Is.EqualTo("secret"));
            Assert.That(options.Ssl, Is.True);
        }
    }

    [Test]
    public void TryParse_StackExchangeFormat_IsAccepted() =>
        Assert.That(RedisConnectionString.TryParse("localhost:6379,password=x", out _), Is.True);

    [TestCase("")]
    [TestCase("redis://")]
    [TestCase("redis://host:6379/notadb")]
    [TestCase("redis://bad host:1")]
    public void TryParse_Invalid_IsRejected(string value) => Assert.That(RedisConnectionString.TryParse(value, out _), Is.False);
}
