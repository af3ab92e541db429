using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Clients;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Diagnostics;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Application.Refresh;
using CryptoCache.Domain;
using Microsoft.Extensions.Options;

namespace CryptoCache.Application.Prices;

/// <summary>
/// Resolves a pair through the cache, and says how fresh the answer is. Pairs clients keep asking for are the
/// refresher's: a request for one is answered from the cache whatever its age (stale and marked when the refresher
/// could not keep it fresh) and never calls the provider. Only a pair with nothing usable cached goes to the provider,
/// through the batcher, at most once at a time across replicas, and only once it is charged to its client
/// (<see cref="ClientQuotaPolicy"/>): hits and stale answers never are.
/// </summary>
internal sealed class PriceResolver(
    IPriceRepository repository,
    PriceBatcher batcher,
    HotSet hotSet,
    EngineStatistics statistics,
    IPriceProvider provider,
    ClientQuotaPolicy quota,
    IOptions<CacheOptions> cacheOptions,
    TimeProvider time)
{
    private readonly TimeSpan _staleWait = TimeSpan.FromMilliseconds(cacheOptions.Value.FactorySoftTimeoutMilliseconds);

    // The provider's timeout plus the batch window and a lock hand-over: past this, no answer is coming.
    private readonly TimeSpan _missWait = provider.CallTimeout + TimeSpan.FromSeconds(2);

    private readonly TimeSpan _ttl = cacheOptions.Value.Ttl;
    private readonly TimeSpan _maxStale = cacheOptions.Value.MaxStale;
    private readonly TimeSpan _unknownTtl = TimeSpan.FromSeconds(cacheOptions.Value.UnknownCoinTtlSeconds);

    /// <exception cref="PriceNotFoundException">The provider does not know the pair.</exception>
    /// <exception cref="ProviderUnavailableException">Nothing usable is cached and the provider cannot be asked.</exception>
    /// <exception cref="ClientQuotaExceededException">Nothing usable is cached and the client spent its share of new pairs.</exception>
    /// <remarks>A value task: a hit completes without allocating a task, and nearly every request is a hit.</remarks>
    public async ValueTask<PriceLookup> ResolveAsync(PricePair pair, CancellationToken cancellationToken)
    {
        var requestedAt = time.GetUtcNow();
        Task<PriceLookup> fetching;
        // Until it has joined a batch, the request may be a miss on its way: the open batch does not close early for it.
        using (batcher.LookingUp())
        {
            var cached = await repository.TryGetAsync(pair, cancellationToken).ConfigureAwait(false);
            if (!IsCold(cached, requestedAt))
            {
                var refreshed = hotSet.Record(pair);
                if (Usable(cached!, requestedAt, refreshed))
                {
                    return Answer(pair, cached!, requestedAt);
                }

                fetching = FetchAsync(pair, cached, requestedAt, clientId: null, cancellationToken);
            }
            else
            {
                var charge = await quota.ChargeAsync(1, cancellationToken).ConfigureAwait(false);
                if (charge.Allowed == 0)
                {
                    throw Refused(charge);
                }

                fetching = FetchAsync(pair, cached, requestedAt, charge.ClientId, cancellationToken); // joins a batch before it returns
                // Recorded once it has joined: the refresher leaves a pair a batch here has to that batch, and a pair
                // recorded before it joined could be taken by a refresher tick in between.
                hotSet.Record(pair);
            }
        }

        return await fetching.ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves the pairs of one request together: hits come from the cache, and the cold misses are charged to the
    /// client in one go (one round trip to the quota store) before they join a batch. Each task fails on its own, as
    /// <see cref="ResolveAsync"/> would; a cold pair over the client's share fails with <see cref="ClientQuotaExceededException"/>.
    /// </summary>
    public async Task<Task<PriceLookup>[]> ResolveManyAsync(IReadOnlyList<PricePair> pairs, CancellationToken cancellationToken)
    {
        var lookups = await LookupManyAsync(pairs, cancellationToken).ConfigureAwait(false);
        var results = new Task<PriceLookup>[lookups.Length];
        for (var i = 0; i < lookups.Length; i++)
        {
            results[i] = lookups[i].AsTask();
        }

        return results;
    }

    /// <summary>
    /// <see cref="ResolveManyAsync"/> without a task for the pairs the cache answers at once: a request whose pairs are
    /// all in memory makes no task, no charge and no client identity, only the answers.
    /// </summary>
    public async ValueTask<PairLookup[]> LookupManyAsync(IReadOnlyList<PricePair> pairs, CancellationToken cancellationToken)
    {
        // Until all its misses have joined a batch, the open batch does not close early for want of them (see ResolveAsync).
        using var lookingUp = batcher.LookingUp();
        var requestedAt = time.GetUtcNow();
        var cached = new PriceEntry?[pairs.Count];
        List<Task<PriceEntry?>>? reading = null;
        List<int>? readingAt = null;
        for (var i = 0; i < pairs.Count; i++)
        {
            // A memory hit completes at once; only reads that went on to Redis need a task to wait for.
            var read = repository.TryGetAsync(pairs[i], cancellationToken);
            if (read.IsCompletedSuccessfully)
            {
                cached[i] = read.Result;
            }
            else
            {
                (reading ??= []).Add(read.AsTask());
                (readingAt ??= []).Add(i);
            }
        }

        if (reading is not null)
        {
            var read = await Task.WhenAll(reading).ConfigureAwait(false);
            for (var j = 0; j < read.Length; j++)
            {
                cached[readingAt![j]] = read[j];
            }
        }

        // Hits first: they are answered now, and whether any pair needs the provider is known before the client is.
        var results = new PairLookup[pairs.Count];
        var cold = 0;
        var toFetch = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            if (IsCold(cached[i], requestedAt))
            {
                cold++;
                continue;
            }

            var (pair, entry) = (pairs[i], cached[i]!);
            if (Usable(entry, requestedAt, hotSet.Record(pair)))
            {
                results[i] = Answered(pair, entry, requestedAt);
            }
            else
            {
                toFetch++;
            }
        }

        if (cold == 0 && toFetch == 0)
        {
            return results;
        }

        // The charge also names the client, whose share the batcher counts the provider call against.
        var charge = await quota.ChargeAsync(cold, cancellationToken).ConfigureAwait(false);
        var allowed = charge.Allowed;
        // The cold pairs with nothing cached go to the batcher together (FetchMany), so that they ride on one call.
        List<int>? joining = null;
        for (var i = 0; i < pairs.Count; i++)
        {
            if (results[i].Answer is not null)
            {
                continue; // answered from the cache above
            }

            var (pair, entry) = (pairs[i], cached[i]);
            var isCold = IsCold(entry, requestedAt);
            if (isCold && allowed-- <= 0)
            {
                results[i] = new PairLookup(null, Task.FromException<PriceLookup>(Refused(charge)));
            }
            else if (entry is null)
            {
                (joining ??= []).Add(i);
            }
            else
            {
                results[i] = new PairLookup(null, FetchAsync(pair, entry, requestedAt, charge.ClientId, cancellationToken));
                if (isCold)
                {
                    hotSet.Record(pair); // once it has joined its batch, as in ResolveAsync
                }
            }
        }

        if (joining is not null)
        {
            var joined = batcher.FetchMany([.. joining.Select(i => pairs[i])], charge.ClientId, cancellationToken);
            for (var j = 0; j < joining.Count; j++)
            {
                var pair = pairs[joining[j]];
                results[joining[j]] = new PairLookup(null, FetchAsync(pair, null, requestedAt, charge.ClientId, cancellationToken, joined[j]));
                hotSet.Record(pair); // once it has joined its batch, as in ResolveAsync
            }
        }

        return results;
    }

    /// <summary>Nothing that may be served is cached: answering needs a provider call, charged to the client.</summary>
    private bool IsCold(PriceEntry? cached, DateTimeOffset now) =>
        cached is null || (cached.IsKnown ? now - cached.FetchedAt > _maxStale && now - cached.FetchedAt > _ttl : now - cached.FetchedAt > _unknownTtl);

    private ClientQuotaExceededException Refused(ColdMissCharge charge)
    {
        statistics.Answered(LookupResult.Refused);
        return new ClientQuotaExceededException(charge.RetryAfter);
    }

    private PairLookup Answered(PricePair pair, PriceEntry entry, DateTimeOffset requestedAt)
    {
        try
        {
            return new PairLookup(Answer(pair, entry, requestedAt), null);
        }
#pragma warning disable CA1031 // The caller awaits the task, and sees the exception there as from ResolveAsync.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new PairLookup(null, Task.FromException<PriceLookup>(ex));
        }
    }

    // joined: the batcher's answer for a pair with nothing cached, when the caller joined it already (with the request's others).
    private async Task<PriceLookup> FetchAsync(
        PricePair pair, PriceEntry? cached, DateTimeOffset requestedAt, string? clientId, CancellationToken cancellationToken, Task<PriceEntry>? joined = null)
    {
        PriceEntry entry;
        try
        {
            // The client rides along to the batcher, which counts the provider call against it (its share of the budget).
            // With nothing cached there is nothing for the cache's factory to fall back on, so the pair goes straight to
            // the batcher, which takes the cross-replica locks of its whole batch at once. With an old entry, the factory
            // keeps its fail-safe (the old entry, throttled, when the call fails) and takes the pair's lock itself.
            var fetching = joined ?? (cached is null
                ? batcher.FetchAsync(pair, clientId, locked: false, cancellationToken)
                : repository.GetOrFetchAsync(pair, (p, ct) => batcher.FetchAsync(p, clientId, locked: true, ct), cancellationToken).AsTask());
            if (cached is { IsKnown: true } && requestedAt - cached.FetchedAt <= _maxStale)
            {
                // Something usable is cached: no request waits long for a lock or a provider for it. The fetch goes on
                // and lands in the cache for the next request.
                if (await Task.WhenAny(fetching, Task.Delay(_staleWait, time, cancellationToken)).ConfigureAwait(false) != fetching)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return Answer(pair, cached, requestedAt);
                }
            }

            // Nothing cached: the wait is bounded by the provider's own timeout, whoever holds the lock.
            entry = await fetching.WaitAsync(_missWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            statistics.Answered(LookupResult.Refused);
            throw new ProviderUnavailableException(ProviderFailure.Timeout, "The price provider did not answer in time.", TimeSpan.FromSeconds(5), ex);
        }
        catch (ProviderUnavailableException)
        {
            statistics.Answered(LookupResult.Refused);
            throw;
        }

        return Answer(pair, entry, requestedAt);
    }

    /// <summary>Fresh; or older but within the stale limit for a pair the refresher looks after.</summary>
    private bool Usable(PriceEntry entry, DateTimeOffset now, bool refreshed)
    {
        var age = now - entry.FetchedAt;
        return entry.IsKnown
            ? age <= _ttl || (refreshed && age <= _maxStale)
            : age <= _unknownTtl;
    }

    private PriceLookup Answer(PricePair pair, PriceEntry entry, DateTimeOffset requestedAt)
    {
        if (entry.Price is not { } price)
        {
            throw new PriceNotFoundException(pair);
        }

        var age = time.GetUtcNow() - entry.FetchedAt;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero; // another replica's clock ran a little ahead
        }

        if (age > _ttl && age > _maxStale)
        {
            // Past what may be served: an answer this old would be a wrong price, not a stale one.
            statistics.Answered(LookupResult.Refused);
            throw new ProviderUnavailableException(ProviderFailure.Error, "The price provider is unavailable and the last known price is older than Cache:MaxStaleSeconds.", TimeSpan.FromSeconds(5));
        }

        var lookup = new PriceLookup(
            pair.Coin.Value,
            pair.Currency.Value,
            price,
            entry.MarketCap,
            entry.Volume24h,
            entry.Change24h,
            // Fetched before this request began: it came from the cache, not from a call made for it.
            Cached: entry.FetchedAt < requestedAt,
            Stale: age > _ttl,
            AgeSeconds: (int)age.TotalSeconds,
            FreshForSeconds: Math.Max(0, (int)(_ttl - age).TotalSeconds),
            entry.FetchedAt.UtcDateTime,
            entry.LastUpdatedAt?.UtcDateTime,
            entry.Source ?? string.Empty);
        statistics.Answered(lookup.Stale ? LookupResult.Stale : lookup.Cached ? LookupResult.Hit : LookupResult.Miss);
        return lookup;
    }
}
