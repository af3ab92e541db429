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
/// Merges the misses of one replica that arrive within a short window into as few provider calls as the
/// provider's limits allow. No library batches CoinGecko calls, so this part is ours.
/// </summary>
internal sealed class PriceBatcher(IPriceClient client, IOptions<ProviderOptions> options, TimeProvider time, ILogger<PriceBatcher> logger)
{
    private readonly ProviderOptions _options = options.Value;
    private readonly Lock _gate = new();
    private Dictionary<PricePair, TaskCompletionSource<PriceEntry>>? _pending;

    /// <summary>Resolves one pair; the call it rides on may carry many others.</summary>
    public Task<PriceEntry> FetchAsync(PricePair pair, CancellationToken cancellationToken)
    {
        TaskCompletionSource<PriceEntry>? waiter;
        var startWindow = false;
        lock (_gate)
        {
            if (_pending is null)
            {
                _pending = [];
                startWindow = true;
            }

            if (!_pending.TryGetValue(pair, out waiter))
            {
                waiter = new TaskCompletionSource<PriceEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending.Add(pair, waiter);
            }
        }

        if (startWindow)
        {
            _ = FlushAfterWindowAsync();
        }

        // The provider call is shared, so one caller giving up must not cancel it for the others.
        return waiter.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAfterWindowAsync()
    {
        if (_options.BatchWindowMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_options.BatchWindowMilliseconds), time).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        Dictionary<PricePair, TaskCompletionSource<PriceEntry>> batch;
        lock (_gate)
        {
            batch = _pending!;
            _pending = null;
        }

        await Task.WhenAll(Split(batch).Select(SendAsync)).ConfigureAwait(false);
    }

    /// <summary>Cuts a batch by coin count and by the length the ids add to the URL.</summary>
    private IEnumerable<List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>>> Split(
        Dictionary<PricePair, TaskCompletionSource<PriceEntry>> batch)
    {
        var chunk = new List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>>();
        var coins = new HashSet<CoinId>();
        var idsLength = 0;
        foreach (var group in batch.GroupBy(p => p.Key.Coin))
        {
            var length = group.Key.Value.Length + 3; // the escaped comma that joins ids
            if (coins.Count > 0 && (coins.Count + 1 > _options.MaxIdsPerCall || idsLength + length > _options.MaxIdsLength))
            {
                yield return chunk;
                chunk = [];
                coins.Clear();
                idsLength = 0;
            }

            coins.Add(group.Key);
            idsLength += length;
            chunk.AddRange(group);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task SendAsync(List<KeyValuePair<PricePair, TaskCompletionSource<PriceEntry>>> chunk)
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
}
