using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Logging;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices;

/// <summary>
/// Merges the misses of one replica into as few provider calls as the provider's limits allow. A batch stays open
/// while misses keep arriving (each arrival restarts a short quiet window), up to a cap, and goes at once when it
/// holds as many coins as one call may carry. No library batches CoinGecko calls, so this part is ours.
/// </summary>
internal sealed class PriceBatcher(IPriceClient client, IOptions<ProviderOptions> options, TimeProvider time, ILogger<PriceBatcher> logger)
{
    private readonly ProviderOptions _options = options.Value;
    private readonly Lock _gate = new();
    private Batch? _open;

    /// <summary>Resolves one pair; the call it rides on may carry many others.</summary>
    public Task<PriceEntry> FetchAsync(PricePair pair, CancellationToken cancellationToken)
    {
        TaskCompletionSource<PriceEntry>? waiter;
        Batch? opened = null;
        Batch? full = null;
        lock (_gate)
        {
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

            if (batch.Coins.Count >= _options.MaxIdsPerCall)
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

    private async Task CloseWhenQuietAsync(Batch batch)
    {
        var quiet = TimeSpan.FromMilliseconds(_options.BatchWindowMilliseconds);
        var cap = TimeSpan.FromMilliseconds(_options.MaxBatchWaitMilliseconds);
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
        // A full batch holds exactly MaxIdsPerCall coins; only the URL length can still split it.
        await Task.WhenAll(Split(batch.Waiters).Select(SendChunkAsync)).ConfigureAwait(false);
    }

    /// <summary>Cuts a batch by the length the ids add to the URL, to stay clear of HTTP 414.</summary>
    private IEnumerable<List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>>> Split(
        Dictionary<PricePair, TaskCompletionSource<PriceEntry>> waiters)
    {
        var chunk = new List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>>();
        var idsLength = 0;
        foreach (var group in waiters.GroupBy(p => p.Key.Coin))
        {
            var length = group.Key.Value.Length + 3; // the escaped comma that joins ids
            if (chunk.Count > 0 && idsLength + length > _options.MaxIdsLength)
            {
                yield return chunk;
                chunk = [];
                idsLength = 0;
            }

            idsLength += length;
            chunk.AddRange(group);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task SendChunkAsync(List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>> chunk)
    {
        var coins = chunk.Select(p => p.Key.Coin).Distinct().ToArray();
        var currencies = chunk.Select(p => p.Key.Currency).Distinct().ToArray();
        ApplicationLog.ProviderBatch(logger, chunk.Count, coins.Length, currencies.Length);
        ApplicationMetrics.RecordBatch(chunk.Count);
        try
        {
            var quotes = await client.GetPricesAsync(coins, currencies, CancellationToken.None).ConfigureAwait(false);
            var fetchedAt = time.GetUtcNow();
            var byPair = new Dictionary<PricePair, PriceQuote>(quotes.Count);
            foreach (var quote in quotes)
            {
                byPair[quote.Pair] = quote;
            }

            foreach (var (pair, waiter) in chunk)
            {
                waiter.TrySetResult(byPair.TryGetValue(pair, out var quote)
                    ? new PriceEntry(quote.Price, quote.FetchedAt, quote.LastUpdatedAt)
                    : new PriceEntry(null, fetchedAt, null));
            }
        }
#pragma warning disable CA1031 // Every waiter must see the failure; none may be left hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var (_, waiter) in chunk)
            {
                waiter.TrySetException(ex);
            }
        }
    }

    private sealed class Batch(long openedAt)
    {
        public long OpenedAt { get; } = openedAt;

        public long LastArrival { get; set; } = openedAt;

        public Dictionary<PricePair, TaskCompletionSource<PriceEntry>> Waiters { get; } = [];

        public HashSet<CoinId> Coins { get; } = [];
    }
}
