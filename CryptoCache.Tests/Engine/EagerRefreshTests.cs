using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Engine;

/// <summary>A hot pair is refreshed in the background before it expires, so its clients never wait on the provider.</summary>
[TestFixture]
[NonParallelizable]
public sealed class EagerRefreshTests
{
    [Test]
    public async Task HotPair_AskedAfterRefreshThreshold_RefreshedInBackgroundAndNeverStale()
    {
        await using var stack = await TestStack.StartAsync();
        var fake = stack.Fake;
        var api = await stack.StartApiAsync(settings: [("CACHE_TTL_SECONDS", "2"), ("Cache__EagerRefreshThreshold", "0.5")]);
        var first = await api.GetJsonAsync("price?coin=solana&currency=usd");
        fake.PriceVersion++;

        await Task.Delay(TimeSpan.FromSeconds(1.3)); // past half the TTL, before its end
        var hot = await api.GetJsonAsync("price?coin=solana&currency=usd");
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the first fetch is now past its TTL
        var later = await api.GetJsonAsync("price?coin=solana&currency=usd");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)hot["cached"]!, Is.True, "the hot request did not wait for the refresh");
            Assert.That((decimal)hot["price"]!, Is.EqualTo((decimal)first["price"]!));
            Assert.That((bool)later["cached"]!, Is.True);
            Assert.That((bool)later["stale"]!, Is.False);
            Assert.That((decimal)later["price"]!, Is.EqualTo(fake.PriceOf("solana", "usd")), "the background refresh brought the new price");
            Assert.That(fake.PriceCalls, Is.EqualTo(2));
        }
    }
}
