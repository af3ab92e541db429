using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Tests.Application.Refresh;

/// <summary>The asks a replica records: its currencies and its count follow pairs as they come and leave the window.</summary>
public sealed class HotSetTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(Ticks);

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private static PricePair Pair(string coin, string currency) => new(CoinId.From(coin), Currency.From(currency));

    private static (HotSet HotSet, ManualClock Clock) Build()
    {
        var clock = new ManualClock();
        return (new HotSet(Options.Create(new CacheOptions { TtlSeconds = 10, HotWindowSeconds = 30 }), clock), clock);
    }

    [Test]
    public void Currencies_MostHotPairsFirst_AtMostMax()
    {
        var (hotSet, _) = Build();
        foreach (var coin in new[] { "bitcoin", "ethereum", "cardano" })
        {
            hotSet.Record(Pair(coin, "eur"));
        }

        hotSet.Record(Pair("bitcoin", "usd"));
        hotSet.Record(Pair("bitcoin", "usd")); // asked twice: still one pair
        hotSet.Record(Pair("ethereum", "usd"));
        hotSet.Record(Pair("bitcoin", "jpy"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hotSet.Currencies(8).Select(c => c.Value), Is.EqualTo(new[] { "eur", "usd", "jpy" }));
            Assert.That(hotSet.Currencies(2).Select(c => c.Value), Is.EqualTo(new[] { "eur", "usd" }));
            Assert.That(hotSet.Count, Is.EqualTo(6));
        }
    }

    [Test]
    public void Drain_PairsLeaveTheWindow_NoLongerCountedNorTheirCurrency()
    {
        var (hotSet, clock) = Build();
        hotSet.Record(Pair("bitcoin", "eur"));
        hotSet.Record(Pair("ethereum", "eur"));
        clock.Advance(TimeSpan.FromSeconds(20));
        hotSet.Record(Pair("bitcoin", "usd"));
        clock.Advance(TimeSpan.FromSeconds(15)); // the eur pairs were last asked 35 s ago, the window is 30 s

        hotSet.Drain();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hotSet.Currencies(8).Select(c => c.Value), Is.EqualTo(new[] { "usd" }));
            Assert.That(hotSet.Count, Is.EqualTo(1));
            Assert.That(hotSet.Coins().Select(c => c.Value), Is.EqualTo(new[] { "bitcoin" }));
        }
    }

    [Test]
    public void Record_AgainAfterItWasForgotten_CountedOnceMore()
    {
        var (hotSet, clock) = Build();
        hotSet.Record(Pair("bitcoin", "usd"));
        clock.Advance(TimeSpan.FromSeconds(31));
        hotSet.Drain();

        var again = hotSet.Record(Pair("bitcoin", "usd"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.False, "a new ask after the pair was forgotten: not one a refresher covers yet");
            Assert.That(hotSet.Count, Is.EqualTo(1));
            Assert.That(hotSet.Currencies(8).Select(c => c.Value), Is.EqualTo(new[] { "usd" }));
        }
    }
}
