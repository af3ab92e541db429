using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Logging;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Refresh;

/// <summary>
/// Keeps the pairs clients ask for fresh in bulk, so that requests for them never call the provider. Each tick it
/// shares this replica's hot set; the replica holding the lease (or one alone, without Redis) takes the hot pairs whose
/// age passed <c>Cache:EagerRefreshThreshold</c> of the TTL, plans them into as few calls as the provider allows, and
/// spends at most its share of the budget: never the reserve kept for misses, and at most one call per
/// 60 s ÷ (budget − reserve), so that a short budget is spread over the minute rather than spent at once. Hot pairs with
/// nothing cached (their misses held back while the budget is the refresher's) are due too, most asked first.
/// </summary>
public sealed class HotPairRefresher
{
    private readonly HotSet _hotSet;
    private readonly IRefreshCoordinator _coordinator;
    private readonly IPriceRepository _repository;
    private readonly IPriceProvider _provider;
    private readonly IPendingMisses _pending;
    private readonly EngineStatistics _statistics;
    private readonly RefreshDemand _demand;
    private readonly TimeProvider _time;
    private readonly ILogger<HotPairRefresher> _logger;
    private readonly TimeSpan _dueAge;
    private long _nextCallAt;
    private bool _waitingForPace;

    public HotPairRefresher(
        HotSet hotSet,
        IRefreshCoordinator coordinator,
        IPriceRepository repository,
        IPriceProvider provider,
        IPendingMisses pending,
        EngineStatistics statistics,
        RefreshDemand demand,
        IOptions<CacheOptions> cacheOptions,
        TimeProvider time,
        ILogger<HotPairRefresher> logger)
    {
        ArgumentNullException.ThrowIfNull(cacheOptions);
        _hotSet = hotSet;
        _coordinator = coordinator;
        _repository = repository;
        _provider = provider;
        _pending = pending;
        _statistics = statistics;
        _demand = demand;
        _time = time;
        _logger = logger;
        _dueAge = cacheOptions.Value.Ttl * cacheOptions.Value.EagerRefreshThreshold;
    }

    /// <summary>One tick; returns the role this replica had in it.</summary>
    public async Task<RefreshRole> TickAsync(CancellationToken cancellationToken)
    {
        _waitingForPace = false;
        var role = await _coordinator.SyncAsync(_hotSet.Drain(), cancellationToken).ConfigureAwait(false);
        _statistics.Leader(role != RefreshRole.Follower); // alone, it refreshes too: for itself
        if (role == RefreshRole.Follower)
        {
            // A follower sees only its own clients' pairs: its estimate of the demand is the part it knows (their coins:
            // no need to rank them, which the refresher does only where it refreshes).
            _statistics.HotSet(_hotSet.Count);
            _demand.PublishCoins(_hotSet.Coins());
            return role;
        }

        var hot = role == RefreshRole.Leader
            ? await _coordinator.ReadHotSetAsync(_hotSet.Window, cancellationToken).ConfigureAwait(false)
            : _hotSet.Snapshot();
        _statistics.HotSet(hot.Count);
        _demand.Publish(hot);

        // A failing provider is left alone until its retry-after passes: the pairs are served stale meanwhile, and
        // background calls would only keep its circuit open for the requests that need it.
        if (_provider.IsFailing)
        {
            return role;
        }

        var budget = await _provider.ReadBudgetAsync(cancellationToken).ConfigureAwait(false);
        // While the budget left is the refresher's (misses are held back for it), hot pairs with nothing cached are its too.
        var takesMisses = !budget.Paused && budget.Remaining is { } left && left <= _demand.KeptFromMisses(budget.Limit);
        var (due, refreshable) = await DueAsync(hot, takesMisses, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return role;
        }

        var share = Math.Max(1, budget.Limit - Reserve(budget.Limit));
        var allowed = budget.Paused ? 0 : Math.Min((budget.Remaining ?? budget.Limit) - Reserve(budget.Limit), PacedCalls());
        _waitingForPace = allowed == 0 && PacedCalls() == 0;
        // Every hot pair with a price rides on the calls that go out for the due ones: a call costs the same whatever it
        // carries, and pairs refreshed together fall due together, so the hot set settles into one round each time it falls due.
        var dueSet = due.Select(d => d.Pair).ToHashSet();
        var plan = RefreshPlanner.Plan(refreshable, _provider.Partition, int.MaxValue)
            .Where(call => call.Pairs.Any(dueSet.Contains))
            .ToList();
        if (plan.Count > allowed)
        {
            // Fewer calls than the due pairs need: the most asked pairs go first, across currency groups.
            plan = [.. RefreshPlanner.PlanScarce(refreshable, dueSet, _provider.Partition, allowed)];
        }

        ApplicationLog.RefreshPlanned(_logger, due.Count, plan.Count, allowed);
        foreach (var call in plan)
        {
            if (!await RefreshAsync(call, share, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        return role;
    }

    private int Reserve(int limit) => _demand.Reserve(limit);

    /// <summary>
    /// How long until the next tick should run: the interval, or less when due pairs wait only for the pace, so that the
    /// call goes when its turn comes rather than up to a tick later (with a short budget, every second of lateness is
    /// a second of stale answers).
    /// </summary>
    public TimeSpan NextTickIn(TimeSpan interval)
    {
        if (!_waitingForPace)
        {
            return interval;
        }

        var wait = _time.GetElapsedTime(_time.GetTimestamp(), Volatile.Read(ref _nextCallAt));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait < interval ? wait : interval;
    }

    private long TimestampIn(TimeSpan delay) => _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Calls the pace allows now: at most one per 60 s ÷ share, and never two at once.</summary>
    private int PacedCalls() => _time.GetTimestamp() >= Volatile.Read(ref _nextCallAt) ? 1 : 0;

    /// <summary>
    /// The hot pairs that are due, and all those a refresh call may carry (every hot pair with a price, and the due ones).
    /// The misses held back here are due too, hot or not yet (a request's pairs reach the hot set one by one, and a tick
    /// can come between); a pair a batch here has is not, even when the budget left is the refresher's: that batch's call,
    /// or its hold-back, is on its way. (Taking it spent the paced call on the first pair of a request still joining its
    /// batch; the pace then refused the others, held back meanwhile.)
    /// </summary>
    private async Task<(List<HotPair> Due, List<HotPair> Refreshable)> DueAsync(IReadOnlyList<HotPair> hot, bool takesMisses, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var candidates = new List<HotPair>(hot);
        var known = hot.Select(h => h.Pair).ToHashSet();
        var entries = new List<PriceEntry?>(hot.Count);
        var pending = _pending.Read();
        var passes = 0;
        do
        {
            // The held-back pairs not read yet (hot or not), then once more for those a batch held back meanwhile.
            candidates.AddRange(pending.HeldBack.Where(known.Add).Select(p => new HotPair(p, 0)));
            for (var i = entries.Count; i < candidates.Count; i++)
            {
                entries.Add(await _repository.TryGetAsync(candidates[i].Pair, cancellationToken).ConfigureAwait(false));
            }

            // After the reads, and at one instant for all pairs: each is then either a batch's or held back, never both or neither.
            pending = _pending.Read();
        }
        while (++passes < 3 && pending.HeldBack.Any(p => !known.Contains(p))); // more held back later: the next tick's

        var due = new List<HotPair>();
        var refreshable = new List<HotPair>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var (pair, entry) = (candidates[i], entries[i]);
            // A hot pair with nothing cached is the miss path's, unless misses are held back for the refresher. An
            // unknown coin stays unknown until its short negative entry ends.
            var miss = entry is null && !pending.InBatches.Contains(pair.Pair)
                       && (pending.HeldBack.Contains(pair.Pair) || (takesMisses && i < hot.Count));
            if (miss || (entry is { IsKnown: true } && now - entry.FetchedAt >= _dueAge))
            {
                due.Add(pair);
                refreshable.Add(pair);
            }
            else if (entry is { IsKnown: true })
            {
                refreshable.Add(pair);
            }
        }

        return (due, refreshable);
    }

    /// <summary>One call; false when the provider cannot be asked now, which ends this tick (the pairs age and are served stale).</summary>
    private async Task<bool> RefreshAsync(RefreshCall call, int share, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _nextCallAt, TimestampIn(TimeSpan.FromSeconds(60.0 / share)));
        IReadOnlyList<Domain.PriceQuote> quotes;
        try
        {
            quotes = await _provider.GetPricesAsync(call.Coins, call.Currencies, ProviderPurpose.Refresh, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException ex)
        {
            if (ex is { Failure: ProviderFailure.BudgetExhausted, RetryAfter: { } retryAfter })
            {
                // The window was a little fuller than the pace assumed (clocks, another replica's miss): try again as soon
                // as a call leaves it, rather than a whole pace interval later.
                Volatile.Write(ref _nextCallAt, TimestampIn(retryAfter));
            }

            ApplicationLog.RefreshFailed(_logger, ex.Failure, call.Pairs.Count);
            return false;
        }

        _statistics.RefreshCall(call.Pairs.Count);
        var wanted = call.Pairs.ToHashSet();
        // A pair the answer lacks keeps its last price: it ages and is served stale rather than turned into a 404.
        foreach (var quote in quotes.Where(q => wanted.Contains(q.Pair)))
        {
            await _repository.SetAsync(quote.Pair, PriceEntry.From(quote), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
