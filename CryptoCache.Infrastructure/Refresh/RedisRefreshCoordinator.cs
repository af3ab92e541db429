using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using CryptoCache.Infrastructure.Logging;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Refresh;

/// <summary>
/// The hot set and the refresher lease in Redis. Each tick a replica sends, in one pipelined round trip, when its
/// clients last asked for each pair (a sorted set kept at the latest time: ZADD GT), how often (a popularity set), and
/// takes or renews the lease (SET NX PX, renewed only by its holder). The lease outlives a few ticks, so a leader that
/// stops without resigning is replaced within <see cref="LeaseFor"/>; one that stops cleanly resigns at once.
/// </summary>
internal sealed class RedisRefreshCoordinator : IRefreshCoordinator
{
    // KEYS[1] lease; ARGV[1] this replica's id, ARGV[2] lease ms. 1 when this replica holds the lease afterwards.
    private const string LeaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    private const string ResignScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private static readonly RedisKey[] LeaseKeys = [RedisKeys.RefresherLease];
    private static readonly TimeSpan DecayEvery = TimeSpan.FromMinutes(1);

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisRefreshCoordinator> _logger;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private int _unreachable;

    public RedisRefreshCoordinator(RedisConnection redis, IOptions<CacheOptions> options, TimeProvider time, ILogger<RedisRefreshCoordinator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _time = time;
        _logger = logger;
        var interval = options.Value.RefreshInterval;
        LeaseFor = interval * 5 > TimeSpan.FromSeconds(5) ? interval * 5 : TimeSpan.FromSeconds(5);
    }

    /// <summary>How long the lease lasts without renewal.</summary>
    public TimeSpan LeaseFor { get; }

    public async ValueTask<RefreshRole> SyncAsync(IReadOnlyList<HotPairSample> asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asked);
        try
        {
            var database = (await _redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            var batch = database.CreateBatch();
            var pending = new List<Task>(asked.Count + 2);
            if (asked.Count > 0)
            {
                pending.Add(batch.SortedSetAddAsync(
                    RedisKeys.HotAsked,
                    [.. asked.Select(a => new SortedSetEntry(Member(a.Pair), a.LastAsked.ToUnixTimeMilliseconds()))],
                    SortedSetWhen.GreaterThan));
                pending.AddRange(asked.Select(a => batch.SortedSetIncrementAsync(RedisKeys.HotPopularity, Member(a.Pair), a.Count)));
            }

            var lease = batch.ScriptEvaluateAsync(LeaseScript, LeaseKeys, [_id, (long)LeaseFor.TotalMilliseconds]);
            pending.Add(lease);
            batch.Execute();
            await Task.WhenAll(pending).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _unreachable, 0) == 1)
            {
                InfrastructureLog.RefresherSharedAgain(_logger);
            }

            return (int)await lease.ConfigureAwait(false) == 1 ? RefreshRole.Leader : RefreshRole.Follower;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref _unreachable, 1) == 0)
            {
                InfrastructureLog.RefresherAlone(_logger, ex.GetType().Name);
            }

            return RefreshRole.Alone;
        }
    }

    public async ValueTask<IReadOnlyList<HotPair>> ReadHotSetAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        try
        {
            var database = (await _redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            var oldest = (_time.GetUtcNow() - window).ToUnixTimeMilliseconds();
            await database.SortedSetRemoveRangeByScoreAsync(RedisKeys.HotAsked, double.NegativeInfinity, oldest).ConfigureAwait(false);
            if (await database.StringSetAsync(RedisKeys.HotDecay, 1, DecayEvery, When.NotExists).ConfigureAwait(false))
            {
                // Once a minute: popularity halves, and pairs that left the hot set leave the popularity set too.
                await database.SortedSetCombineAndStoreAsync(
                    SetOperation.Intersect, RedisKeys.HotPopularity, [RedisKeys.HotPopularity, RedisKeys.HotAsked], [0.5, 0], Aggregate.Sum).ConfigureAwait(false);
            }

            var members = await database.SortedSetRangeByRankAsync(RedisKeys.HotAsked).ConfigureAwait(false);
            if (members.Length == 0)
            {
                return [];
            }

            var scores = await database.SortedSetScoresAsync(RedisKeys.HotPopularity, members).ConfigureAwait(false);
            var hot = new List<HotPair>(members.Length);
            for (var i = 0; i < members.Length; i++)
            {
                if (TryParse(members[i], out var pair))
                {
                    hot.Add(new HotPair(pair, scores[i] ?? 0));
                }
            }

            hot.Sort((a, b) => b.Popularity.CompareTo(a.Popularity));
            return hot;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            InfrastructureLog.RefresherAlone(_logger, ex.GetType().Name);
            return [];
        }
    }

    public async ValueTask ResignAsync(CancellationToken cancellationToken)
    {
        try
        {
            var database = (await _redis.GetAsync().ConfigureAwait(false)).GetDatabase();
            await database.ScriptEvaluateAsync(ResignScript, LeaseKeys, [_id]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lease expires by itself.
            InfrastructureLog.RefresherAlone(_logger, ex.GetType().Name);
        }
    }

    internal static string Member(PricePair pair) => pair.Coin.Value + "/" + pair.Currency.Value;

    internal static bool TryParse(string? member, out PricePair pair)
    {
        pair = default;
        var slash = member?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !CoinId.TryFrom(member![..slash], out var coin) || !Currency.TryFrom(member[(slash + 1)..], out var currency))
        {
            return false;
        }

        pair = new PricePair(coin, currency);
        return true;
    }
}
