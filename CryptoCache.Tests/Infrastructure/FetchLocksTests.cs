using CryptoCache.Domain;
using CryptoCache.Infrastructure.Caching;
using CryptoCache.Infrastructure.Redis;
using CryptoCache.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CryptoCache.Tests.Infrastructure;

/// <summary>
/// The cross-replica fetch locks on a real redis-server, two "replicas" each with its own connection. The fallback poll
/// is set to a minute, far beyond every wait here: a waiter that wakes within the test's bound was woken by the release's
/// announcement, so the tests hold on a loaded machine and fail only if the announcement does not arrive.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FetchLocksTests
{
    private const int PollMilliseconds = 60_000;

    /// <summary>Far beyond a pub/sub message on any machine, far below the fallback poll.</summary>
    private static readonly TimeSpan WokenWithin = TimeSpan.FromSeconds(20);

    private RedisServer _redis = null!;
    private Replica _a = null!;
    private Replica _b = null!;

    private static PricePair Pair(string coin) => new(CoinId.From(coin), Currency.From("usd"));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await RedisServer.StartAsync();
        _a = new Replica(_redis.Url);
        _b = new Replica(_redis.Url);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [SetUp]
    public Task FlushAsync() => _redis.FlushAsync();

    [Test]
    public async Task ClaimAsync_PairHeldByAnotherReplica_HeldUntilItsReleaseWakesTheWaiter()
    {
        var first = await _a.Locks.ClaimAsync([Pair("bitcoin"), Pair("ethereum")], [], CancellationToken.None);
        var second = await _b.Locks.ClaimAsync([Pair("bitcoin"), Pair("tether")], [], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Granted, Is.EquivalentTo(new[] { Pair("bitcoin"), Pair("ethereum") }));
            Assert.That(second.Granted, Is.EquivalentTo(new[] { Pair("tether") }));
            Assert.That(second.Held.Keys, Is.EquivalentTo(new[] { Pair("bitcoin") }));
        }

        await Task.Delay(200);
        Assert.That(second.Held[Pair("bitcoin")].IsCompleted, Is.False, "held while the other replica fetches");

        await _a.Locks.ReleaseAsync(first, null, CancellationToken.None);

        Assert.That(async () => await second.Held[Pair("bitcoin")].WaitAsync(WokenWithin), Throws.Nothing, "woken by the release, not by the minute-long fallback poll");
        var again = await _b.Locks.ClaimAsync([Pair("bitcoin")], [], CancellationToken.None);
        Assert.That(again.Granted, Is.EquivalentTo(new[] { Pair("bitcoin") }), "free once released");
    }

    [Test]
    public async Task ReleaseAsync_AnotherReplicasClaim_LeavesItsLocksAlone()
    {
        var mine = await _a.Locks.ClaimAsync([Pair("bitcoin")], [], CancellationToken.None);
        var theirs = await _b.Locks.ClaimAsync([Pair("bitcoin")], [], CancellationToken.None);

        // A claim holds only what it was granted: releasing B's claim cannot free A's lock.
        await _b.Locks.ReleaseAsync(theirs, [Pair("bitcoin")], CancellationToken.None);
        var third = await _b.Locks.ClaimAsync([Pair("bitcoin")], [], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mine.Granted, Has.Count.EqualTo(1));
            Assert.That(third.Held.Keys, Is.EquivalentTo(new[] { Pair("bitcoin") }));
        }

        await _a.Locks.ReleaseAsync(mine, null, CancellationToken.None);
    }

    [Test]
    public async Task ClaimAsync_EntryCachedSinceTheAskerLooked_GrantedAndMarkedCached()
    {
        await _redis.Database.HashSetAsync(RedisKeys.PriceEntry(Pair("bitcoin")), "data", "{}");

        var claim = await _a.Locks.ClaimAsync([Pair("bitcoin"), Pair("ethereum")], [], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Granted, Is.EquivalentTo(new[] { Pair("bitcoin"), Pair("ethereum") }));
            Assert.That(claim.Cached, Is.EquivalentTo(new[] { Pair("bitcoin") }), "read it again before calling: another replica may have fetched it");
        }

        await _a.Locks.ReleaseAsync(claim, null, CancellationToken.None);
    }

    [Test]
    public async Task ClaimAsync_PairsOnlyLookedUp_SaysWhichAreCachedNowhereAndLocksNone()
    {
        await _redis.Database.HashSetAsync(RedisKeys.PriceEntry(Pair("ethereum")), "data", "{}");

        var claim = await _a.Locks.ClaimAsync([Pair("bitcoin")], [Pair("ethereum"), Pair("tether")], CancellationToken.None);
        var other = await _b.Locks.ClaimAsync([Pair("ethereum"), Pair("tether")], [], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Granted, Is.EquivalentTo(new[] { Pair("bitcoin") }));
            Assert.That(claim.UncachedElsewhere, Is.EquivalentTo(new[] { Pair("tether") }), "ethereum has an entry: some replica may hold it");
            Assert.That(other.Granted, Is.EquivalentTo(new[] { Pair("ethereum"), Pair("tether") }), "looking a pair up takes no lock");
        }

        await _a.Locks.ReleaseAsync(claim, null, CancellationToken.None);
        await _b.Locks.ReleaseAsync(other, null, CancellationToken.None);
    }

    [Test]
    public async Task AcquireLockAsync_WaiterOnAnotherReplica_TakesTheLockWhenTheReleaseIsAnnounced()
    {
        var lockName = RedisKeys.PriceLock(Pair("bitcoin"));
        var holder = await _a.Locker.AcquireLockAsync("c", "a", "op", "key", lockName, TimeSpan.FromSeconds(5), null, CancellationToken.None);
        Assert.That(holder, Is.Not.Null);

        var waiting = _b.Locker.AcquireLockAsync("c", "b", "op", "key", lockName, TimeSpan.FromMinutes(2), null, CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.That(waiting.IsCompleted, Is.False, "waits while the lock is held");

        await _a.Locker.ReleaseLockAsync("c", "a", "op", "key", lockName, holder, null, CancellationToken.None);

        Assert.That(await waiting.WaitAsync(WokenWithin), Is.Not.Null, "taken on the announcement, not after the minute-long fallback poll");
    }

    [Test]
    public async Task FetchLocksAndCacheFactory_SameLockName_ExcludeEachOther()
    {
        var holder = await _a.Locker.AcquireLockAsync("c", "a", "op", "key", RedisKeys.PriceLock(Pair("bitcoin")), TimeSpan.FromSeconds(5), null, CancellationToken.None);

        var claim = await _b.Locks.ClaimAsync([Pair("bitcoin")], [], CancellationToken.None);
        Assert.That(claim.Held.Keys, Is.EquivalentTo(new[] { Pair("bitcoin") }), "a batch never fetches a pair the cache's factory is fetching");

        await _a.Locker.ReleaseLockAsync("c", "a", "op", "key", RedisKeys.PriceLock(Pair("bitcoin")), holder, null, CancellationToken.None);
        Assert.That(async () => await claim.Held[Pair("bitcoin")].WaitAsync(WokenWithin), Throws.Nothing);
    }

    [Test]
    public async Task ClaimAsync_RedisUnreachable_GrantsEveryPairAtOnce()
    {
        await using var nowhere = new Replica($"redis://127.0.0.1:{FreePort.Next()}");

        var claim = await nowhere.Locks.ClaimAsync([Pair("bitcoin"), Pair("ethereum")], [], CancellationToken.None).AsTask().WaitAsync(WokenWithin);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claim.Granted, Has.Count.EqualTo(2), "the batch goes under the in-process protection only");
            Assert.That(claim.Held, Is.Empty);
        }

        Assert.That(async () => await nowhere.Locks.ReleaseAsync(claim, null, CancellationToken.None), Throws.Nothing);
    }

    /// <summary>What one replica has of the locks: its own connection and subscription.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly RedisConnection _connection;

        public Replica(string url)
        {
            var options = Options.Create(new RedisOptions { ConnectionString = url, LockPollMilliseconds = PollMilliseconds });
            _connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
            var signals = new LockReleaseSignals(_connection, options, TimeProvider.System, NullLogger<LockReleaseSignals>.Instance);
            Locks = new RedisFetchLocks(_connection, signals, NullLogger<RedisFetchLocks>.Instance);
            Locker = new RedisLocker(_connection, signals, NullLogger<RedisLocker>.Instance);
        }

        public RedisFetchLocks Locks { get; }

        public RedisLocker Locker { get; }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
