using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Infrastructure.Budget;

namespace CryptoCache.Tests.Infrastructure;

public sealed class SlidingWindowLimiterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Test]
    public void TryAcquire_MoreThanTheBudgetInAMinute_RefusedUntilTheOldestCallLeavesTheWindow()
    {
        var clock = new ManualClock();
        var limiter = new SlidingWindowLimiter(2, clock);

        var first = limiter.TryAcquire();
        clock.Now += TimeSpan.FromSeconds(10);
        var second = limiter.TryAcquire();
        var third = limiter.TryAcquire();
        clock.Now += TimeSpan.FromSeconds(50);
        var fourth = limiter.TryAcquire();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Allowed, second.Allowed), Is.EqualTo((true, true)));
            Assert.That(third.Allowed, Is.False);
            Assert.That(third.Failure, Is.EqualTo(ProviderFailure.BudgetExhausted));
            Assert.That(third.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(50)));
            Assert.That(fourth.Allowed, Is.True, "the first call is a minute old");
        }
    }

    [Test]
    public void Pause_AfterA429_RefusesAsRateLimitedForThatLong()
    {
        var clock = new ManualClock();
        var limiter = new SlidingWindowLimiter(100, clock);

        limiter.Pause(TimeSpan.FromSeconds(30));
        var during = limiter.TryAcquire();
        clock.Now += TimeSpan.FromSeconds(31);
        var after = limiter.TryAcquire();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(during.Allowed, Is.False);
            Assert.That(during.Failure, Is.EqualTo(ProviderFailure.RateLimited));
            Assert.That(after.Allowed, Is.True);
        }
    }
}
