using System.Collections.Concurrent;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Clients;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Logging;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices;

/// <summary>
/// Merges the misses of one replica into as few provider calls as the provider's limits allow. A batch stays open
/// while misses keep arriving (each arrival restarts a short quiet window), up to a cap, and goes at once when it holds
/// as many coins as one call may carry or when it cannot grow (<see cref="CannotGrow"/>). It takes the cross-replica
/// locks of all its pairs in one round trip (<see cref="IFetchLocks"/>), leaves the pairs another replica is fetching
/// to that replica (their waiters read its entry once it announces the release), caches what its call brought in one
/// go and only then releases its locks. With less than two thirds of the budget left, a batch stays open longer
/// (<c>Provider:ShortBudgetBatchWaitMilliseconds</c>) and goes only when full or at that cap, so that the calls left
/// carry many misses each rather than fail them. Every pair of the call's coins × currencies is cached, not only the
/// ones waited for; the call asks for its coins in every currency clients here use; and pairs refused earlier because
/// the budget was spent ride along on the next call that has room. So a cold start with a short budget fills the
/// cache in few, full calls. No library batches provider calls, so this part is ours.
/// </summary>
internal sealed class PriceBatcher(
    IPriceProvider provider, IPriceRepository repository, IFetchLocks locks, HotSet hotSet, RefreshDemand demand, EngineStatistics statistics, ClientQuotaPolicy quota,
    IOptions<ProviderOptions> options, IOptions<CacheOptions> cacheOptions, TimeProvider time, ILogger<PriceBatcher> logger) : IPendingMisses
{
    /// <summary>How long a pair refused for want of budget is remembered, to ride on a later call.</summary>
    private static readonly TimeSpan StarvedFor = TimeSpan.FromMinutes(2);

    private const int MaxStarved = 10_000;

    private static readonly TimeSpan HeldBackPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeldBackRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The fewest misses that make a burst (<see cref="BurstOver"/>): fewer wait for the quiet window. High enough that
    /// a replica's handful of clients at a cold start still fill their batches in the window rather than spend a call
    /// on every few misses, when the budget is what keeps the hot set fresh for the rest of the minute.
    /// </summary>
    private const int MinBurstPairs = 32;

    /// <summary>The shortest pause that ends a burst (<see cref="BurstOver"/>).</summary>
    private static readonly TimeSpan MinBurstQuiet = TimeSpan.FromMilliseconds(2);

    /// <summary>How often a batch looks again while it waits for cache reads in flight.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(1);

    /// <summary>Most currencies a miss call adds beyond its own: the hot ones.</summary>
    private const int MaxExtraCurrencies = 8;

    private readonly ProviderOptions _options = options.Value;

    /// <summary>How long a batch stays open while the budget is short.</summary>
    private readonly TimeSpan _shortBudgetWait = ShortBudgetWait(options.Value);

    /// <summary>
    /// How long a held-back miss waits for the refresher's call, counted from when its batch opened (the batch's own
    /// wait is part of it, so the whole wait stays bounded): the pair reaches the leader's hot set at this replica's
    /// next tick and is planned at the leader's next one, so two refresh intervals pass before the call can even go;
    /// then the call takes its own time, and the next poll sees its entry: one more interval. Waiting less would refuse
    /// the miss and then spend the call for it anyway (a cold start's held-back miss was refused 50 ms before the
    /// refresher's call landed, with two intervals only).
    /// </summary>
    private readonly TimeSpan _heldBackWait = ShortBudgetWait(options.Value) + 3 * cacheOptions.Value.RefreshInterval;

    /// <summary>How long a pair waits for another replica's call, retries included, before giving up on it (as the cache's own lock waits).</summary>
    private readonly TimeSpan _holderWait = provider.CallTimeout + TimeSpan.FromSeconds(5);

    private readonly TimeSpan _ttl = cacheOptions.Value.Ttl;
    private readonly TimeSpan _unknownTtl = TimeSpan.FromSeconds(cacheOptions.Value.UnknownCoinTtlSeconds);
    private readonly ConcurrentDictionary<PricePair, long> _starved = new();
    private readonly Lock _gate = new();
    private readonly List<InFlightCall> _inFlight = [];

    /// <summary>Pairs whose misses wait for the refresher's call (<see cref="HoldBackAsync"/>), with how many batches hold each back (guarded by the gate).</summary>
    private readonly Dictionary<PricePair, int> _heldBack = [];

    /// <summary>Pairs another replica is fetching, and the answer their waiters here will get: later misses join it.</summary>
    private readonly Dictionary<PricePair, Task<PriceEntry>> _awaitingHolder = [];

    /// <summary>
    /// The answers of batches that went but whose call is not yet on its way (claiming, reading the budget): a later
    /// miss of one of their pairs takes that answer rather than open a batch that would find the pair locked by this
    /// very replica.
    /// </summary>
    private readonly List<IReadOnlyDictionary<PricePair, Task<PriceEntry>>> _going = [];
    private Batch? _open;

    /// <summary>Requests reading the cache now (<see cref="LookingUp"/>): any of them may be a miss about to join the open batch.</summary>
    private int _lookingUp;

    /// <summary>Pairs answered since the last batch went (guarded by the gate): the misses that may come back next.</summary>
    private int _answered;

    /// <summary>When a pair was last answered (guarded by the gate): answers older than <see cref="_comeBackWithin"/> bring nobody back.</summary>
    private long _lastAnsweredAt;

    /// <summary>
    /// How soon after its answer a client's next miss counts as coming back (<see cref="CannotGrow"/>): the longest a
    /// batch may wait. A batch opened later than that after the last answer is not those clients coming back (a new
    /// burst after a pause, say) and waits for its quiet window, rather than go with the first of the burst's misses.
    /// </summary>
    private readonly TimeSpan _comeBackWithin = TimeSpan.FromMilliseconds(Math.Max(options.Value.BatchWindowMilliseconds, options.Value.MaxBatchWaitMilliseconds));

    /// <summary>Resolves one pair; the call it rides on may carry many others.</summary>
    public Task<PriceEntry> FetchAsync(PricePair pair, CancellationToken cancellationToken) => FetchAsync(pair, null, locked: false, cancellationToken);

    /// <summary>Resolves one pair asked by <paramref name="clientId"/> (charged already); the call it rides on counts against that client's share.</summary>
    public Task<PriceEntry> FetchAsync(PricePair pair, string? clientId, CancellationToken cancellationToken) => FetchAsync(pair, clientId, locked: false, cancellationToken);

    /// <summary>
    /// Resolves one pair asked by <paramref name="clientId"/> (charged already). Unless <paramref name="locked"/>, the
    /// batch takes the pair's cross-replica lock itself (one round trip for the whole batch), caches what the call brings
    /// and releases it; a pair another replica is fetching waits for that replica's entry instead.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <param name="clientId">The client charged for it, if any.</param>
    /// <param name="locked">The caller holds the pair's lock already and caches the entry itself (the cache's own factory).</param>
    /// <param name="cancellationToken">Stops this caller's wait, not the call, which others may share.</param>
    public Task<PriceEntry> FetchAsync(PricePair pair, string? clientId, bool locked, CancellationToken cancellationToken)
    {
        var joins = new Joins();
        Task<PriceEntry> answer;
        lock (_gate)
        {
            answer = Join(pair, clientId, locked, ref joins);
        }

        joins.Start(this);
        // The provider call is shared, so one caller giving up must not cancel it for the others.
        return answer.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Resolves the cold misses of one request (nothing cached, charged to <paramref name="clientId"/> already), all
    /// joined at once: one pair at a time, a loaded machine could pause the request between two joins for longer than
    /// the quiet window, and its first pairs went in a call of their own (two calls against the client's share, and the
    /// budget, for one request).
    /// </summary>
    public Task<PriceEntry>[] FetchMany(IReadOnlyList<PricePair> pairs, string? clientId, CancellationToken cancellationToken)
    {
        var joins = new Joins();
        var answers = new Task<PriceEntry>[pairs.Count];
        lock (_gate)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                answers[i] = Join(pairs[i], clientId, locked: false, ref joins);
            }
        }

        joins.Start(this);
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = answers[i].WaitAsync(cancellationToken);
        }

        return answers;
    }

    /// <summary>One pair's miss into the answer on its way, or into the open batch (call under the gate).</summary>
    private Task<PriceEntry> Join(PricePair pair, string? clientId, bool locked, ref Joins joins)
    {
        // A call already on its way asks for this pair too (its coins × currencies): wait for that one.
        foreach (var call in _inFlight)
        {
            if (call.Covers(pair))
            {
                return call.EntryAsync(pair);
            }
        }

        if (!locked && _awaitingHolder.TryGetValue(pair, out var held))
        {
            return held;
        }

        foreach (var going in _going)
        {
            if (going.TryGetValue(pair, out var answer) && !locked)
            {
                return answer;
            }
        }

        if (_open is null)
        {
            _open = new Batch(time.GetTimestamp());
            joins.Opened(_open);
        }

        var batch = _open;
        if (!batch.Waiters.TryGetValue(pair, out var waiter))
        {
            waiter = new TaskCompletionSource<PriceEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            batch.Waiters.Add(pair, waiter);
            batch.Coins.Add(pair.Coin);
            batch.LastArrival = time.GetTimestamp();
        }

        if (locked)
        {
            batch.Locked.Add(pair);
        }

        if (clientId is not null)
        {
            batch.Askers.Add((pair.Coin, clientId));
        }

        // Full: it goes at once. Or everyone is back: no need to wait for a timer to see it (CloseWhenQuietAsync).
        if (batch.Coins.Count >= provider.MaxIdsPerCall || (CannotGrow(batch) && !ShortBudget()))
        {
            Close(batch);
            joins.Ready(batch);
        }

        return waiter.Task;
    }

    /// <inheritdoc/>
    /// <remarks>Read by the refresher, once or twice a tick: never on a request's path.</remarks>
    public PendingMisses Read()
    {
        lock (_gate)
        {
            if (_open is null && _going.Count == 0 && _inFlight.Count == 0 && _awaitingHolder.Count == 0 && _heldBack.Count == 0)
            {
                return PendingMisses.None;
            }

            var inBatches = new HashSet<PricePair>(_awaitingHolder.Keys);
            inBatches.UnionWith(_open?.Waiters.Keys ?? Enumerable.Empty<PricePair>());
            foreach (var going in _going)
            {
                inBatches.UnionWith(going.Keys);
            }

            foreach (var call in _inFlight)
            {
                inBatches.UnionWith(call.Pairs());
            }

            return new PendingMisses(inBatches, new HashSet<PricePair>(_heldBack.Keys));
        }
    }

    /// <summary>
    /// Marks a request reading the cache, until disposed: while any is, a batch does not close before its quiet window,
    /// since the request may turn out a miss that joins it. Dispose it once the request's misses have joined (all of
    /// them, for a request of many pairs, so that its first miss never sends a batch without the others).
    /// </summary>
    public LookupScope LookingUp()
    {
        Interlocked.Increment(ref _lookingUp);
        return new LookupScope(this);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The short-budget batch wait, never shorter than the ordinary cap.</summary>
    private static TimeSpan ShortBudgetWait(ProviderOptions options) =>
        TimeSpan.FromMilliseconds(Math.Max(options.MaxBatchWaitMilliseconds, options.ShortBudgetBatchWaitMilliseconds));

    /// <summary>With less than two thirds of the budget left, batches wait longer so that the calls left carry many misses.</summary>
    private bool ShortBudget() => provider.LastKnownBudget is { Remaining: { } remaining } budget && remaining * 3 < budget.Limit * 2;

    /// <summary>
    /// The open batch cannot grow (call under the gate): it holds as many pairs as were answered since the last batch
    /// went, and opened soon after the last answer, so the clients that waited for those answers are back with their
    /// next misses; no call of ours is on its way (its answers would come back as more misses: waiting for them joins
    /// a burst that a hiccup split rather than splitting it further); and no request is reading the cache, so none is
    /// a miss on its way. Misses that come one by one from anywhere else are left to the quiet window.
    /// </summary>
    private bool CannotGrow(Batch batch) =>
        _answered > 0 && batch.Waiters.Count >= _answered && AnsweredJustBefore(batch)
        && Volatile.Read(ref _lookingUp) == 0 && _inFlight.TrueForAll(c => c.Landed);

    /// <summary>
    /// The burst of misses that filled the batch is over (call under the gate): it holds <see cref="MinBurstPairs"/> or
    /// more, no request is reading the cache, and nothing has joined for as long as the burst has lasted (at least
    /// <see cref="MinBurstQuiet"/>), unless more of the clients just answered are still to come back. A burst's
    /// misses come close together and its stragglers within about its own length, so waiting out the whole quiet
    /// window, which is for misses that come one by one, only delays them all: the first burst after a pause, which
    /// <see cref="CannotGrow"/> cannot recognise, since no answer brought it.
    /// </summary>
    private bool BurstOver(Batch batch, TimeSpan sinceLast) =>
        batch.Waiters.Count >= MinBurstPairs && Volatile.Read(ref _lookingUp) == 0 && !MoreComingBack(batch)
        && sinceLast >= Max(MinBurstQuiet, time.GetElapsedTime(batch.OpenedAt, batch.LastArrival));

    /// <summary>
    /// Clients answered just before the batch opened are not all back yet (call under the gate): they come back in
    /// waves as their answers reach them, so a pause between waves is not the end of a burst.
    /// </summary>
    private bool MoreComingBack(Batch batch) =>
        _answered > batch.Waiters.Count && AnsweredJustBefore(batch);

    /// <summary>The batch opened within <see cref="_comeBackWithin"/> of the last answer (call under the gate): its misses may be those clients coming back.</summary>
    private bool AnsweredJustBefore(Batch batch) => time.GetElapsedTime(_lastAnsweredAt, batch.OpenedAt) <= _comeBackWithin;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Takes the open batch out (call under the gate): later misses open another, or join its answers while it claims.</summary>
    private void Close(Batch batch)
    {
        _open = null;
        _answered = 0;
        _going.Add(batch.Going);
    }

    /// <summary>A request's cache read and joins are over: if it was the last one and the open batch cannot grow, it goes now.</summary>
    private void EndLookup()
    {
        // No open batch (a hit with no miss about): nothing to close, and no lock taken on the hit path.
        if (Interlocked.Decrement(ref _lookingUp) != 0 || Volatile.Read(ref _open) is null)
        {
            return;
        }

        Batch? ready = null;
        lock (_gate)
        {
            if (_open is { } batch && CannotGrow(batch) && !ShortBudget())
            {
                ready = batch;
                Close(batch);
            }
        }

        if (ready is not null)
        {
            _ = SendAsync(ready);
        }
    }

    private void Gone(Batch batch)
    {
        lock (_gate)
        {
            _going.Remove(batch.Going);
        }
    }

    private void Answered(int pairs)
    {
        lock (_gate)
        {
            _answered += pairs;
            _lastAnsweredAt = time.GetTimestamp();
        }
    }

    /// <summary>
    /// The budget left is what the refresher needs to keep the hot set fresh, and it refreshes hot pairs with nothing
    /// cached too, most asked first, hundreds to a call: this miss waits a little for that call rather than spend a
    /// call of its own, and is refused (and remembered, to ride on a later call) if it does not come in time.
    /// </summary>
    private async Task HoldBackAsync(PricePair pair, TaskCompletionSource<PriceEntry> waiter, long since)
    {
        try
        {
            while (time.GetElapsedTime(since) < _heldBackWait)
            {
                await Task.Delay(HeldBackPoll, time).ConfigureAwait(false);
                if (await repository.TryGetAsync(pair, CancellationToken.None).ConfigureAwait(false) is { } entry)
                {
                    waiter.TrySetResult(entry);
                    return;
                }
            }
        }
#pragma warning disable CA1031 // The waiter must see the failure, whatever it is.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            waiter.TrySetException(ex);
            return;
        }
        finally
        {
            lock (_gate)
            {
                if (_heldBack.TryGetValue(pair, out var batches) && batches > 1)
                {
                    _heldBack[pair] = batches - 1;
                }
                else
                {
                    _heldBack.Remove(pair);
                }
            }
        }

        Starve([pair]);
        waiter.TrySetException(new ProviderUnavailableException(ProviderFailure.BudgetExhausted,
            "The provider-call budget left is kept for the refresher, which fetches this pair with others shortly.", HeldBackRetryAfter));
    }

    /// <summary>
    /// True when the budget left (read now, not as of the last call) is no more than the refresher needs for the hot
    /// set (<see cref="RefreshDemand.KeptFromMisses"/>): misses then leave it to the refresher. A pause after a 429 is
    /// not this, nor a spent budget (the refresher cannot call either): the call goes and is refused at once with the
    /// real retry-after.
    /// </summary>
    private async Task<bool> IsRefreshersAsync()
    {
        if (demand.CallsPerMinute == 0)
        {
            return false; // nothing hot: no budget read
        }

        var budget = await provider.ReadBudgetAsync(CancellationToken.None).ConfigureAwait(false);
        return !budget.Paused && budget.Remaining is { } remaining && remaining > 0 && remaining <= demand.KeptFromMisses(budget.Limit);
    }

    private async Task CloseWhenQuietAsync(Batch batch)
    {
        var window = TimeSpan.FromMilliseconds(_options.BatchWindowMilliseconds);
        var cap = TimeSpan.FromMilliseconds(_options.MaxBatchWaitMilliseconds);
        var shortBudget = ShortBudget();
        if (shortBudget)
        {
            // Few calls left: no quiet window, just the longer cap, so this call carries every miss that arrives meanwhile.
            cap = _shortBudgetWait;
            window = cap;
        }

        if (window <= TimeSpan.Zero)
        {
            await Task.Yield(); // no window: the misses already queued still ride along
        }

        long slept = 0;
        var late = TimeSpan.Zero;
        // The most this closer's timer fired late in the current pause, and the last miss's arrival that began it.
        var lateness = TimeSpan.Zero;
        long pauseFrom = 0;
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                if (_open != batch)
                {
                    return; // it went out already: full, or unable to grow
                }

                // Only a sleep that began after the last miss joined measures the pause: a timer late while misses
                // were still arriving was the machine serving them, and says nothing of what is still on its way.
                // (Counted from the batch's opening, it lengthened the quiet window of a load's last batch, the clients
                // that did not come back, by 4-7 ms on the benchmark host; the pause's own is 3-4 ms there, about the
                // granularity of .NET's timers on that host, where a 1 ms delay ends 3.4 ms late at the median.)
                if (batch.LastArrival != pauseFrom)
                {
                    (pauseFrom, lateness) = (batch.LastArrival, TimeSpan.Zero); // a miss joined: a new pause
                }

                if (slept != 0 && slept >= pauseFrom && late > lateness)
                {
                    lateness = late;
                }

                // The batch goes once nothing has joined for the quiet window (lengthened by how late this closer's
                // own timer fired in the pause: on a loaded machine requests move as late, and a pause only counts as
                // quiet if the machine had the time to deliver what was coming), or sooner, once it cannot grow
                // (CannotGrow) or its burst is over (BurstOver).
                var sinceLast = time.GetElapsedTime(batch.LastArrival);
                var open = time.GetElapsedTime(batch.OpenedAt);
                if ((!shortBudget && (CannotGrow(batch) || BurstOver(batch, sinceLast))) || sinceLast >= window + lateness || open >= cap)
                {
                    Close(batch);
                    break;
                }

                wait = shortBudget ? Min(window - sinceLast, cap - open) : Min(Slice, cap - open);
            }

            slept = time.GetTimestamp();
            await Task.Delay(wait, time).ConfigureAwait(false);
            late = time.GetElapsedTime(slept) - wait;
        }

        await SendAsync(batch).ConfigureAwait(false);
    }

    private async Task SendAsync(Batch batch)
    {
        FetchClaim? claim = null;
        var released = new HashSet<PricePair>();
        try
        {
            // The budget read and the claim are a round trip each, and neither needs the other: they go together.
            var holdBack = IsRefreshersAsync();
            // The hot currencies once for the batch: what the claim looks up is what its calls then ask for.
            var hotCurrencies = hotSet.Currencies(MaxExtraCurrencies);
            claim = await locks.ClaimAsync([.. batch.Waiters.Keys.Where(p => !batch.Locked.Contains(p))], RidingAlong(batch, hotCurrencies), CancellationToken.None).ConfigureAwait(false);
            if (await holdBack.ConfigureAwait(false))
            {
                await locks.ReleaseAsync(claim, null, CancellationToken.None).ConfigureAwait(false);
                released.UnionWith(claim.Granted);
                lock (_gate)
                {
                    // Held back as the batch goes, at once: to the refresher, each pair is always either a batch's or its own.
                    foreach (var pair in batch.Waiters.Keys)
                    {
                        _heldBack[pair] = _heldBack.GetValueOrDefault(pair) + 1;
                    }

                    _going.Remove(batch.Going);
                }

                foreach (var (pair, waiter) in batch.Waiters)
                {
                    _ = HoldBackAsync(pair, waiter, batch.OpenedAt);
                }

                return;
            }

            // Pairs another replica is fetching: their waiters wait for its entry, and this call leaves them out.
            foreach (var (pair, whenReleased) in claim.Held)
            {
                var waiter = batch.Waiters[pair];
                batch.Waiters.Remove(pair);
                _ = AwaitHolderAsync(pair, waiter, whenReleased, batch.Askers.FirstOrDefault(a => a.Coin == pair.Coin).Client);
            }

            var answered = await AnswerFromCacheAsync(batch, claim.Cached).ConfigureAwait(false);
            if (answered.Count > 0)
            {
                released.UnionWith(answered);
                _ = locks.ReleaseAsync(claim, answered, CancellationToken.None).AsTask();
            }

            if (batch.Waiters.Count == 0)
            {
                return;
            }

            // Pairs refused earlier for want of budget ride along where the call has room: the batch's coins come first,
            // so the chunks that carry them are the first ones, and only those go out.
            var batchCoins = batch.Waiters.Keys.Select(p => p.Coin).Distinct().ToList();
            var starved = TakeStarved(batch);
            var chunks = provider.Partition([.. batchCoins, .. starved.Select(p => p.Coin).Distinct().Where(c => !batchCoins.Contains(c))]);
            var sent = new List<Task>();
            foreach (var coins in chunks)
            {
                var inChunk = coins.ToHashSet();
                var waiters = batch.Waiters.Where(w => inChunk.Contains(w.Key.Coin)).ToList();
                if (waiters.Count == 0)
                {
                    break;
                }

                var extra = starved.Where(p => inChunk.Contains(p.Coin) && !batch.Waiters.ContainsKey(p)).ToList();
                var clients = batch.Askers.Where(a => inChunk.Contains(a.Coin)).Select(a => a.Client).Distinct(StringComparer.Ordinal).ToList();
                sent.Add(SendChunkAsync(coins, waiters, extra, clients, batch.Locked, claim, hotCurrencies));
            }

            Gone(batch); // its calls are in flight now, and cover its pairs

            await Task.WhenAll(sent).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every waiter must see the failure; none may be left hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var (_, waiter) in batch.Waiters)
            {
                waiter.TrySetException(ex);
            }
        }
        finally
        {
            Gone(batch);

            // After the chunks have cached what they fetched: the release wakes replicas that read it at once.
            if (claim is not null && claim.Granted.Any(p => !released.Contains(p)))
            {
                await locks.ReleaseAsync(claim, [.. claim.Granted.Where(p => !released.Contains(p))], CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The pairs the batch's call will bring though nobody waits for them: its coins in the hot currencies. The claim
    /// looks them up too, so that those cached nowhere are stored without a word to the other replicas, which cannot
    /// hold them (a message per pair to every replica, for every call, otherwise). One another replica caches between
    /// this look and the store keeps its own fresh entry in its memory a little longer: no older than this one.
    /// </summary>
    private static List<PricePair> RidingAlong(Batch batch, IReadOnlyList<Currency> hotCurrencies)
    {
        var currencies = batch.Waiters.Keys.Select(p => p.Currency).Concat(hotCurrencies).Distinct().ToList();
        var pairs = new List<PricePair>();
        foreach (var coin in batch.Coins)
        {
            foreach (var currency in currencies)
            {
                var pair = new PricePair(coin, currency);
                if (!batch.Waiters.ContainsKey(pair))
                {
                    pairs.Add(pair);
                }
            }
        }

        return pairs;
    }

    /// <summary>
    /// Granted pairs of which something is cached already: another replica fetched them between their asker's look and
    /// this claim. Their waiters take the entry when it is fresh, and the call leaves them out.
    /// </summary>
    private async Task<List<PricePair>> AnswerFromCacheAsync(Batch batch, IReadOnlySet<PricePair> cached)
    {
        var pairs = cached.Where(batch.Waiters.ContainsKey).ToList();
        if (pairs.Count == 0)
        {
            return [];
        }

        var entries = await Task.WhenAll(pairs.Select(p => repository.TryGetAsync(p, CancellationToken.None).AsTask())).ConfigureAwait(false);
        var answered = new List<PricePair>();
        for (var i = 0; i < pairs.Count; i++)
        {
            if (entries[i] is { } entry && IsFresh(entry))
            {
                batch.Waiters[pairs[i]].TrySetResult(entry);
                batch.Waiters.Remove(pairs[i]);
                answered.Add(pairs[i]);
            }
        }

        Answered(answered.Count);

        return answered;
    }

    /// <summary>
    /// Another replica is fetching the pair. Its release is announced the moment its entry is cached, so the waiter reads
    /// the entry then. Nothing there (that call failed, or only the fallback interval passed): the pair is claimed again
    /// here, and fetched here if now free, within the time a waiter for the cache's own lock would wait.
    /// </summary>
    private async Task AwaitHolderAsync(PricePair pair, TaskCompletionSource<PriceEntry> waiter, Task whenReleased, string? clientId)
    {
        lock (_gate)
        {
            _awaitingHolder[pair] = waiter.Task;
        }

        var waited = time.GetTimestamp();
        try
        {
            while (true)
            {
                await whenReleased.ConfigureAwait(false);
                if (await repository.TryGetAsync(pair, CancellationToken.None).ConfigureAwait(false) is { } cached && IsFresh(cached))
                {
                    waiter.TrySetResult(cached);
                    Answered(1);
                    return;
                }

                if (time.GetElapsedTime(waited) >= _holderWait)
                {
                    waiter.TrySetException(new ProviderUnavailableException(ProviderFailure.Timeout,
                        "Another replica's provider call for this pair did not answer in time.", TimeSpan.FromSeconds(5)));
                    return;
                }

                var claim = await locks.ClaimAsync([pair], [], CancellationToken.None).ConfigureAwait(false);
                if (claim.Held.TryGetValue(pair, out var stillHeld))
                {
                    whenReleased = stillHeld;
                    continue;
                }

                try
                {
                    // Free now, and this replica holds it: cached meanwhile after all, or fetched here.
                    if (!claim.Cached.Contains(pair) || await repository.TryGetAsync(pair, CancellationToken.None).ConfigureAwait(false) is not { } entry || !IsFresh(entry))
                    {
                        entry = await FetchAsync(pair, clientId, locked: true, CancellationToken.None).ConfigureAwait(false);
                        await repository.SetManyAsync([new(pair, entry)], tellReplicas: claim.Cached.Contains(pair), CancellationToken.None).ConfigureAwait(false);
                    }

                    waiter.TrySetResult(entry);
                }
                finally
                {
                    await locks.ReleaseAsync(claim, null, CancellationToken.None).ConfigureAwait(false);
                }

                return;
            }
        }
#pragma warning disable CA1031 // The waiter must see the failure, whatever it is.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            waiter.TrySetException(ex);
        }
        finally
        {
            lock (_gate)
            {
                if (_awaitingHolder.TryGetValue(pair, out var task) && task == waiter.Task)
                {
                    _awaitingHolder.Remove(pair);
                }
            }
        }
    }

    /// <summary>What a call made now would give: a price within its TTL, an unknown pair within the negative TTL.</summary>
    private bool IsFresh(PriceEntry entry) => time.GetUtcNow() - entry.FetchedAt <= (entry.IsKnown ? _ttl : _unknownTtl);

    /// <summary>Remembers pairs refused for want of budget, to ride on a later call (up to <see cref="MaxStarved"/>).</summary>
    private void Starve(IEnumerable<PricePair> pairs)
    {
        if (_starved.Count >= MaxStarved)
        {
            return;
        }

        var now = time.GetTimestamp();
        foreach (var pair in pairs)
        {
            _starved[pair] = now;
        }
    }

    /// <summary>Starved pairs that may ride on this batch, most recently refused first; the rest wait for a later batch.</summary>
    private List<PricePair> TakeStarved(Batch batch)
    {
        if (_starved.IsEmpty)
        {
            return [];
        }

        var oldest = time.GetTimestamp() - (long)(StarvedFor.TotalSeconds * time.TimestampFrequency);
        var pairs = new List<PricePair>();
        foreach (var (pair, refusedAt) in _starved.OrderByDescending(p => p.Value))
        {
            if (refusedAt < oldest)
            {
                _starved.TryRemove(pair, out _);
            }
            else if (!batch.Waiters.ContainsKey(pair))
            {
                pairs.Add(pair);
            }
        }

        return pairs;
    }

    private async Task SendChunkAsync(
        IReadOnlyList<CoinId> coins, List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>> chunk, List<PricePair> extra, List<string> clients,
        HashSet<PricePair> locked, FetchClaim claim, IReadOnlyList<Currency> hotCurrencies)
    {
        var currencies = chunk.Select(p => p.Key.Currency).Concat(extra.Select(p => p.Currency)).Concat(hotCurrencies)
            .Distinct().ToArray();
        ApplicationLog.ProviderBatch(logger, chunk.Count, coins.Count, currencies.Length);
        statistics.MissBatch(chunk.Count);
        var inFlight = new InFlightCall(coins, currencies);
        lock (_gate)
        {
            _inFlight.Add(inFlight);
        }

        try
        {
            IReadOnlyList<PriceQuote> quotes;
            try
            {
                quotes = await provider.GetPricesAsync(coins, currencies, ProviderPurpose.Miss, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ProviderUnavailableException { Failure: ProviderFailure.BudgetExhausted or ProviderFailure.RateLimited })
            {
                await quota.RecordCallAsync(clients).ConfigureAwait(false); // it went out, and failed: it still cost budget
                throw;
            }

            var fetchedAt = time.GetUtcNow();
            var byPair = new Dictionary<PricePair, PriceQuote>(quotes.Count);
            foreach (var quote in quotes)
            {
                byPair[quote.Pair] = quote;
            }

            inFlight.Complete(new Dictionary<PricePair, PriceQuote>(byPair), fetchedAt);

            var entries = chunk.Select(w => (w.Key, w.Value, Entry: byPair.Remove(w.Key, out var quote) ? PriceEntry.From(quote) : PriceEntry.Unknown(fetchedAt))).ToList();

            // The waiters first: their answers are in hand, and each goes back to its client on its own thread while this
            // one stores the entries. (Storing first put the serialisation and the writes of the whole call before every
            // answer.) A miss of one of these pairs meanwhile waits for this call, still in flight until stored.
            foreach (var (_, waiter, entry) in entries)
            {
                waiter.TrySetResult(entry);
            }

            Answered(chunk.Count);
            foreach (var pair in extra)
            {
                _starved.TryRemove(pair, out _);
            }

            // The call counts against its clients' shares from now, after their answers: with fair share on, recording
            // it is a Redis round trip that every waiter of the call would otherwise wait for.
            var recording = quota.RecordCallAsync(clients).AsTask();

            // Stored all at once, and before the locks are released: a replica woken by the release reads them straight
            // away. The cache's own factory stores the pairs its callers locked. The call asked for every coin in every
            // currency of the batch: the pairs nobody waited for came at no cost, and at a cold start they are the next
            // misses; kept, they spare calls that the budget may not have. The other replicas are told only of pairs some
            // of them may hold an older entry of: not of the pairs this batch claimed with nothing cached anywhere, nor of
            // the pairs riding along that the claim found cached nowhere.
            var claimed = entries.Where(e => !locked.Contains(e.Key)).ToLookup(e => claim.Cached.Contains(e.Key), e => new KeyValuePair<PricePair, PriceEntry>(e.Key, e.Entry));
            var riding = byPair.ToLookup(p => claim.UncachedElsewhere.Contains(p.Key), p => new KeyValuePair<PricePair, PriceEntry>(p.Key, PriceEntry.From(p.Value)));
            List<KeyValuePair<PricePair, PriceEntry>> unseen = [.. claimed[false], .. riding[true]];
            List<KeyValuePair<PricePair, PriceEntry>> seen = [.. claimed[true], .. riding[false]];
            var storing = Task.WhenAll(
                unseen.Count > 0 ? repository.SetManyAsync(unseen, tellReplicas: false, CancellationToken.None).AsTask() : Task.CompletedTask,
                seen.Count > 0 ? repository.SetManyAsync(seen, tellReplicas: true, CancellationToken.None).AsTask() : Task.CompletedTask);

            await Task.WhenAll(storing, recording).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every waiter must see the failure; none may be left hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (ex is ProviderUnavailableException { Failure: ProviderFailure.BudgetExhausted or ProviderFailure.RateLimited })
            {
                Starve(chunk.Select(w => w.Key));
            }

            foreach (var (_, waiter) in chunk)
            {
                waiter.TrySetException(ex);
            }

            inFlight.Fail(ex);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(inFlight);
            }
        }
    }

    /// <summary>
    /// The batches one join opened and closed (under the gate), started once the gate is left: an opened one gets its
    /// closer, a full one goes.
    /// </summary>
    private struct Joins
    {
        private List<Batch>? _opened;
        private List<Batch>? _ready;

        public void Opened(Batch batch) => (_opened ??= []).Add(batch);

        public void Ready(Batch batch) => (_ready ??= []).Add(batch);

        public readonly void Start(PriceBatcher batcher)
        {
            foreach (var batch in _ready ?? [])
            {
                _ = batcher.SendAsync(batch);
            }

            foreach (var batch in _opened ?? [])
            {
                if (_ready?.Contains(batch) != true)
                {
                    _ = batcher.CloseWhenQuietAsync(batch);
                }
            }
        }
    }

    /// <summary>
    /// One request's cache read, counted by <see cref="LookingUp"/>. A struct, disposed once by its <c>using</c>: every
    /// request takes one, hits included, and a class would be an allocation per hit.
    /// </summary>
    internal readonly struct LookupScope(PriceBatcher batcher) : IDisposable
    {
        public void Dispose() => batcher.EndLookup();
    }

    /// <summary>A call on its way, which later misses of its coins × currencies wait for instead of making their own.</summary>
    private sealed class InFlightCall(IReadOnlyList<CoinId> coins, IReadOnlyList<Currency> currencies)
    {
        private readonly HashSet<CoinId> _coins = [.. coins];
        private readonly HashSet<Currency> _currencies = [.. currencies];
        private readonly TaskCompletionSource<(Dictionary<PricePair, PriceQuote> Quotes, DateTimeOffset FetchedAt)> _result =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its answer (or failure) is in: its waiters are on their way back, though its entries may still be being stored.</summary>
        public bool Landed => _result.Task.IsCompleted;

        public bool Covers(PricePair pair) => _coins.Contains(pair.Coin) && _currencies.Contains(pair.Currency);

        /// <summary>Every pair it asks for: its coins × currencies.</summary>
        public IEnumerable<PricePair> Pairs() => _coins.SelectMany(coin => _currencies.Select(currency => new PricePair(coin, currency)));

        public async Task<PriceEntry> EntryAsync(PricePair pair)
        {
            var (quotes, fetchedAt) = await _result.Task.ConfigureAwait(false);
            return quotes.TryGetValue(pair, out var quote) ? PriceEntry.From(quote) : PriceEntry.Unknown(fetchedAt);
        }

        public void Complete(Dictionary<PricePair, PriceQuote> quotes, DateTimeOffset fetchedAt) => _result.TrySetResult((quotes, fetchedAt));

        public void Fail(Exception exception) => _result.TrySetException(exception);
    }

    private sealed class Batch(long openedAt)
    {
        public long OpenedAt { get; } = openedAt;

        public long LastArrival { get; set; } = openedAt;

        public Dictionary<PricePair, TaskCompletionSource<PriceEntry>> Waiters { get; } = [];

        /// <summary>The answers of its pairs as it closed, for misses that come while it claims.</summary>
        public IReadOnlyDictionary<PricePair, Task<PriceEntry>> Going => _answers ??= Waiters.ToDictionary(w => w.Key, w => w.Value.Task);

        private Dictionary<PricePair, Task<PriceEntry>>? _answers;

        public HashSet<CoinId> Coins { get; } = [];

        /// <summary>Pairs whose askers hold the cross-replica lock already: the batch neither claims nor caches them.</summary>
        public HashSet<PricePair> Locked { get; } = [];

        /// <summary>Which client asked for which coin (clients are opaque ids), to count the call against them.</summary>
        public List<(CoinId Coin, string Client)> Askers { get; } = [];
    }
}
