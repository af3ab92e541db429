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
/// while misses keep arriving (each arrival restarts a short quiet window), up to a cap, and goes at once when it
/// holds as many coins as one call may carry. With less than two thirds of the budget left, a batch stays open longer
/// (<c>Provider:ShortBudgetBatchWaitMilliseconds</c>) and goes only when full or at that cap, so that the calls left
/// carry many misses each rather than fail them. Every pair of the call's coins × currencies is cached, not only the
/// ones waited for; the call asks for its coins in every currency clients here use; and pairs refused earlier because
/// the budget was spent ride along on the next call that has room. So a cold start with a short budget fills the
/// cache in few, full calls. No library batches provider calls, so this part is ours.
/// </summary>
internal sealed class PriceBatcher(
    IPriceProvider provider, IPriceRepository repository, HotSet hotSet, RefreshDemand demand, EngineStatistics statistics, ClientQuotaPolicy quota,
    IOptions<ProviderOptions> options, IOptions<CacheOptions> cacheOptions, TimeProvider time, ILogger<PriceBatcher> logger)
{
    /// <summary>How long a pair refused for want of budget is remembered, to ride on a later call.</summary>
    private static readonly TimeSpan StarvedFor = TimeSpan.FromMinutes(2);

    private const int MaxStarved = 10_000;

    private static readonly TimeSpan HeldBackPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeldBackRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Most currencies a miss call adds beyond its own: the hot ones.</summary>
    private const int MaxExtraCurrencies = 8;

    private readonly ProviderOptions _options = options.Value;

    /// <summary>How long a batch stays open while the budget is short.</summary>
    private readonly TimeSpan _shortBudgetWait =
        TimeSpan.FromMilliseconds(Math.Max(options.Value.MaxBatchWaitMilliseconds, options.Value.ShortBudgetBatchWaitMilliseconds));

    /// <summary>
    /// How long a held-back miss waits for the refresher's call, counted from when its batch opened (the batch's own
    /// wait is part of it, so the whole wait stays bounded): the pair reaches the leader's hot set at this replica's
    /// next tick and is planned at the leader's next one, so two refresh intervals pass before the call can even go.
    /// Waiting less would refuse the miss and then spend the call for it anyway.
    /// </summary>
    private readonly TimeSpan _heldBackWait =
        TimeSpan.FromMilliseconds(Math.Max(options.Value.MaxBatchWaitMilliseconds, options.Value.ShortBudgetBatchWaitMilliseconds))
        + 2 * cacheOptions.Value.RefreshInterval;
    private readonly ConcurrentDictionary<PricePair, long> _starved = new();
    private readonly Lock _gate = new();
    private readonly List<InFlightCall> _inFlight = [];
    private Batch? _open;

    /// <summary>Resolves one pair; the call it rides on may carry many others.</summary>
    public Task<PriceEntry> FetchAsync(PricePair pair, CancellationToken cancellationToken) => FetchAsync(pair, null, cancellationToken);

    /// <summary>Resolves one pair asked by <paramref name="clientId"/> (charged already); the call it rides on counts against that client's share.</summary>
    public Task<PriceEntry> FetchAsync(PricePair pair, string? clientId, CancellationToken cancellationToken)
    {
        TaskCompletionSource<PriceEntry>? waiter;
        Batch? opened = null;
        Batch? full = null;
        lock (_gate)
        {
            // A call already on its way asks for this pair too (its coins × currencies): wait for that one.
            foreach (var call in _inFlight)
            {
                if (call.Covers(pair))
                {
                    return call.EntryAsync(pair).WaitAsync(cancellationToken);
                }
            }

            if (_open is null)
            {
                _open = opened = new Batch(time.GetTimestamp());
            }

            var batch = _open;
            if (!batch.Waiters.TryGetValue(pair, out waiter))
            {
                waiter = new TaskCompletionSource<PriceEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
                batch.Waiters.Add(pair, waiter);
                batch.Coins.Add(pair.Coin);
                batch.LastArrival = time.GetTimestamp();
            }

            if (clientId is not null)
            {
                batch.Askers.Add((pair.Coin, clientId));
            }

            if (batch.Coins.Count >= provider.MaxIdsPerCall)
            {
                full = batch;
                _open = null;
            }
        }

        if (full is not null)
        {
            _ = SendAsync(full);
        }
        else if (opened is not null)
        {
            _ = CloseWhenQuietAsync(opened);
        }

        // The provider call is shared, so one caller giving up must not cancel it for the others.
        return waiter.Task.WaitAsync(cancellationToken);
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

        Starve([pair]);
        waiter.TrySetException(new ProviderUnavailableException(ProviderFailure.BudgetExhausted,
            "The provider-call budget left is kept for the refresher, which fetches this pair with others shortly.", HeldBackRetryAfter));
    }

    /// <summary>
    /// True when the budget left (read now, not as of the last call) is no more than the refresher needs for the hot
    /// set: misses then leave it to the refresher. A pause after a 429 is not this, nor a spent budget (the refresher
    /// cannot call either): the call goes and is refused at once with the real retry-after.
    /// </summary>
    private async Task<bool> IsRefreshersAsync()
    {
        var need = demand.CallsPerMinute;
        if (need == 0)
        {
            return false;
        }

        var budget = await provider.ReadBudgetAsync(CancellationToken.None).ConfigureAwait(false);
        return !budget.Paused && budget.Remaining is { } remaining && remaining > 0 && remaining <= need;
    }

    private async Task CloseWhenQuietAsync(Batch batch)
    {
        var quiet = TimeSpan.FromMilliseconds(_options.BatchWindowMilliseconds);
        var cap = TimeSpan.FromMilliseconds(_options.MaxBatchWaitMilliseconds);
        if (provider.LastKnownBudget is { Remaining: { } remaining } budget && remaining * 3 < budget.Limit * 2)
        {
            // Few calls left: no quiet window, just the longer cap, so this call carries every miss that arrives meanwhile.
            cap = _shortBudgetWait;
            quiet = cap;
        }

        while (true)
        {
            if (quiet > TimeSpan.Zero)
            {
                await Task.Delay(quiet, time).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }

            lock (_gate)
            {
                if (_open != batch)
                {
                    return; // it went out full
                }

                if (time.GetElapsedTime(batch.LastArrival) >= quiet || time.GetElapsedTime(batch.OpenedAt) >= cap)
                {
                    _open = null;
                    break;
                }
            }
        }

        await SendAsync(batch).ConfigureAwait(false);
    }

    private async Task SendAsync(Batch batch)
    {
        if (await IsRefreshersAsync().ConfigureAwait(false))
        {
            foreach (var (pair, waiter) in batch.Waiters)
            {
                _ = HoldBackAsync(pair, waiter, batch.OpenedAt);
            }

            return;
        }

        // Pairs refused earlier for want of budget ride along where the call has room: the batch's coins come first,
        // so the chunks that carry them are the first ones, and only those go out.
        var starved = TakeStarved(batch);
        var chunks = provider.Partition([.. batch.Coins, .. starved.Select(p => p.Coin).Distinct().Where(c => !batch.Coins.Contains(c))]);
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
            sent.Add(SendChunkAsync(coins, waiters, extra, clients));
        }

        await Task.WhenAll(sent).ConfigureAwait(false);
    }

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
        IReadOnlyList<CoinId> coins, List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>> chunk, List<PricePair> extra, List<string> clients)
    {
        var currencies = chunk.Select(p => p.Key.Currency).Concat(extra.Select(p => p.Currency)).Concat(hotSet.Currencies(MaxExtraCurrencies))
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

            await quota.RecordCallAsync(clients).ConfigureAwait(false);
            var fetchedAt = time.GetUtcNow();
            var byPair = new Dictionary<PricePair, PriceQuote>(quotes.Count);
            foreach (var quote in quotes)
            {
                byPair[quote.Pair] = quote;
            }

            inFlight.Complete(new Dictionary<PricePair, PriceQuote>(byPair), fetchedAt);

            foreach (var (pair, waiter) in chunk)
            {
                waiter.TrySetResult(byPair.TryGetValue(pair, out var quote) ? PriceEntry.From(quote) : PriceEntry.Unknown(fetchedAt));
                byPair.Remove(pair);
            }

            foreach (var pair in extra)
            {
                _starved.TryRemove(pair, out _);
            }

            // The call asked for every coin in every currency of the batch: the pairs nobody waited for came at no cost,
            // and at a cold start they are the next misses. Kept, they spare calls that the budget may not have.
            foreach (var (pair, quote) in byPair)
            {
                await repository.SetAsync(pair, PriceEntry.From(quote), CancellationToken.None).ConfigureAwait(false);
            }
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

    /// <summary>A call on its way, which later misses of its coins × currencies wait for instead of making their own.</summary>
    private sealed class InFlightCall(IReadOnlyList<CoinId> coins, IReadOnlyList<Currency> currencies)
    {
        private readonly HashSet<CoinId> _coins = [.. coins];
        private readonly HashSet<Currency> _currencies = [.. currencies];
        private readonly TaskCompletionSource<(Dictionary<PricePair, PriceQuote> Quotes, DateTimeOffset FetchedAt)> _result =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Covers(PricePair pair) => _coins.Contains(pair.Coin) && _currencies.Contains(pair.Currency);

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

        public HashSet<CoinId> Coins { get; } = [];

        /// <summary>Which client asked for which coin (clients are opaque ids), to count the call against them.</summary>
        public List<(CoinId Coin, string Client)> Askers { get; } = [];
    }
}
