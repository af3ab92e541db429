using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoCache.Tests.Infrastructure;

/// <summary>The thread pool's minimum while Redis connections are down (the process-wide pool: restored at the end).</summary>
public sealed class ThreadPoolHeadroomTests
{
    private static int MinWorkers()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        return workers;
    }

    [Test]
    public async Task ConnectionsDownThenBack_MinimumRaisedWhileAnyIsDown_BackDownAfterTheSettleTime()
    {
        var before = MinWorkers();
        var connected = false;
        using var headroom = new ThreadPoolHeadroom(NullLogger.Instance, () => connected, TimeSpan.FromMilliseconds(200));

        headroom.ConnectionFailed();
        headroom.ConnectionFailed(); // a second connection of the multiplexer
        var raised = MinWorkers();
        headroom.ConnectionRestored(); // one back, the multiplexer still without a usable connection
        await Task.Delay(400);
        var oneStillDown = MinWorkers();
        connected = true;
        headroom.ConnectionRestored();
        var justBack = MinWorkers();
        var settled = before;
        for (var i = 0; i < 100 && (settled = MinWorkers()) != before; i++)
        {
            await Task.Delay(20);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raised, Is.GreaterThanOrEqualTo(Math.Max(16, 8 * Environment.ProcessorCount)));
            Assert.That(oneStillDown, Is.EqualTo(raised), "one connection still down: stays raised");
            Assert.That(justBack, Is.EqualTo(raised), "every connection back: raised a while longer");
            Assert.That(settled, Is.EqualTo(before), "then back to the default");
        }
    }

    [Test]
    public async Task FailedOver_OldPrimaryNeverBack_MinimumSettlesOnceConnectedToTheNewOne()
    {
        var before = MinWorkers();
        var connected = false;
        using var headroom = new ThreadPoolHeadroom(NullLogger.Instance, () => connected, TimeSpan.FromMilliseconds(100));

        headroom.ConnectionFailed(); // the old primary: it never reports back
        headroom.ConnectionFailed(); // the connection to the replica, closed as it is promoted
        var raised = MinWorkers();
        connected = true;
        headroom.ConnectionRestored(); // the new primary
        var settled = raised;
        for (var i = 0; i < 100 && (settled = MinWorkers()) != before; i++)
        {
            await Task.Delay(20);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raised, Is.GreaterThan(before).Or.EqualTo(Math.Max(16, 8 * Environment.ProcessorCount)));
            Assert.That(settled, Is.EqualTo(before), "connected again: back to the default, whatever never came back");
        }
    }
}
