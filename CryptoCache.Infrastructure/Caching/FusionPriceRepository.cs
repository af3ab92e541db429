using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;
using CryptoCache.Infrastructure.Redis;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>
/// The price cache on FusionCache: memory in front of Redis, one factory run per key across replicas (memory lock
/// plus <see cref="RedisLocker"/>), fail-safe to the last known price, and a backplane that keeps every replica's
/// memory in step. Prices have no per-key eager refresh: the refresher keeps the pairs clients ask for fresh in bulk
/// calls, and a per-key refresh would spend the budget one small call at a time. The currency list keeps it: it is
/// one key, read on every request, and refreshing it early means no request ever waits for it.
/// </summary>
internal sealed class FusionPriceRepository : IPriceRepository
{
    private readonly IFusionCache _cache;
    private readonly FusionCacheEntryOptions _priceOptions;
    private readonly FusionCacheEntryOptions _readOptions;
    private readonly FusionCacheEntryOptions _storeOptions;
    private readonly FusionCacheEntryOptions _storeUnknownOptions;
    private readonly FusionCacheEntryOptions _storeNewOptions;
    private readonly FusionCacheEntryOptions _storeNewUnknownOptions;
    private readonly FusionCacheEntryOptions _currencyOptions;
    private readonly FusionCacheEntryOptions _coinsListOptions;
    private readonly TimeSpan _unknownCoinTtl;

    public FusionPriceRepository(IFusionCache cache, IOptions<CacheOptions> cacheOptions, IPriceProvider provider)
    {
        _cache = cache;
        var options = cacheOptions.Value;
        _unknownCoinTtl = TimeSpan.FromSeconds(options.UnknownCoinTtlSeconds);

        // A waiter on another replica must not give up before the call it waits for has had its full timeout,
        // or it would make a second call.
        var lockTimeout = provider.CallTimeout + TimeSpan.FromSeconds(5);
        _priceOptions = Entry(options.Ttl, options.MaxStale, options, lockTimeout);
        _readOptions = _priceOptions.Duplicate();
        // Reads return entries past their TTL too: whether an old price may be served is the resolver's decision.
        _readOptions.AllowStaleOnReadOnly = true;
        // A batch stores what its call brought and then releases its locks, which wakes waiters on other replicas that
        // read Redis at once: the write to Redis is awaited (the backplane's word still goes in the background).
        _storeOptions = _priceOptions.Duplicate();
        _storeOptions.AllowBackgroundDistributedCacheOperations = false;
        _storeUnknownOptions = _storeOptions.Duplicate();
        _storeUnknownOptions.Duration = _unknownCoinTtl;
        // Pairs nobody had cached: no replica holds them in memory, so the backplane would only cost every replica a message each.
        _storeNewOptions = _storeOptions.Duplicate();
        _storeNewOptions.SkipBackplaneNotifications = true;
        _storeNewUnknownOptions = _storeUnknownOptions.Duplicate();
        _storeNewUnknownOptions.SkipBackplaneNotifications = true;
        _currencyOptions = Entry(TimeSpan.FromSeconds(options.CurrenciesTtlSeconds), TimeSpan.FromDays(7), options, lockTimeout);
        _currencyOptions.EagerRefreshThreshold = (float)options.EagerRefreshThreshold;
        _coinsListOptions = Entry(TimeSpan.FromSeconds(options.CoinsListTtlSeconds), TimeSpan.FromDays(7), options, lockTimeout);
        _coinsListOptions.EagerRefreshThreshold = (float)options.EagerRefreshThreshold;
    }

    public async ValueTask<PriceEntry?> TryGetAsync(PricePair pair, CancellationToken cancellationToken)
    {
        var found = await _cache.TryGetAsync<PriceEntry>(RedisKeys.Price(pair), _readOptions, cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public ValueTask<PriceEntry> GetOrFetchAsync(PricePair pair, Func<PricePair, CancellationToken, Task<PriceEntry>> fetch, CancellationToken cancellationToken) =>
        GetOrFetchEntryAsync(RedisKeys.Price(pair), pair, fetch, cancellationToken);

    public ValueTask SetAsync(PricePair pair, PriceEntry entry, CancellationToken cancellationToken) =>
        _cache.SetAsync(RedisKeys.Price(pair), entry, _priceOptions, null, cancellationToken);

    public async ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<PricePair, PriceEntry>> entries, bool tellReplicas, CancellationToken cancellationToken)
    {
        // Started together, the writes share the multiplexer's pipeline: about one round trip for the lot.
        var writes = new List<Task>(entries.Count);
        foreach (var (pair, entry) in entries)
        {
            var options = (entry.IsKnown, tellReplicas) switch
            {
                (true, true) => _storeOptions,
                (true, false) => _storeNewOptions,
                (false, true) => _storeUnknownOptions,
                (false, false) => _storeNewUnknownOptions,
            };
            writes.Add(_cache.SetAsync(RedisKeys.Price(pair), entry, options, null, cancellationToken).AsTask());
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<string>> GetOrFetchCurrenciesAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> fetch, CancellationToken cancellationToken) =>
        await _cache.GetOrSetAsync<string[]>(
            RedisKeys.Currencies,
            async (_, token) => [.. await fetch(token).ConfigureAwait(false)],
            default,
            _currencyOptions,
            null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<CoinListing>> GetOrFetchCoinsListAsync(Func<CancellationToken, Task<IReadOnlyList<CoinListing>>> fetch, CancellationToken cancellationToken) =>
        await _cache.GetOrSetAsync<CoinListing[]>(
            RedisKeys.CoinsList,
            async (_, token) => [.. await fetch(token).ConfigureAwait(false)],
            default,
            _coinsListOptions,
            null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<PriceEntry?> TryGetTokenAsync(TokenPair token, CancellationToken cancellationToken)
    {
        var found = await _cache.TryGetAsync<PriceEntry>(RedisKeys.TokenPrice(token), _readOptions, cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public ValueTask<PriceEntry> GetOrFetchTokenAsync(TokenPair token, Func<TokenPair, CancellationToken, Task<PriceEntry>> fetch, CancellationToken cancellationToken) =>
        GetOrFetchEntryAsync(RedisKeys.TokenPrice(token), token, fetch, cancellationToken);

    /// <summary>A price entry (coin or token) through the factory; an unknown one is remembered for the short negative TTL only.</summary>
    private ValueTask<PriceEntry> GetOrFetchEntryAsync<TKey>(string key, TKey asset, Func<TKey, CancellationToken, Task<PriceEntry>> fetch, CancellationToken cancellationToken) =>
        _cache.GetOrSetAsync<PriceEntry>(
            key,
            async (context, token) =>
            {
                var entry = await fetch(asset, token).ConfigureAwait(false);
                if (!entry.IsKnown)
                {
                    context.Options.Duration = _unknownCoinTtl;
                }

                return entry;
            },
            default,
            _priceOptions,
            null,
            cancellationToken);

    public ValueTask RemoveAsync(PricePair pair, CancellationToken cancellationToken) =>
        _cache.RemoveAsync(RedisKeys.Price(pair), null, cancellationToken);

    private static FusionCacheEntryOptions Entry(TimeSpan duration, TimeSpan maxStale, CacheOptions options, TimeSpan lockTimeout) => new()
    {
        Duration = duration,
        IsFailSafeEnabled = maxStale > TimeSpan.Zero,
        // FusionCache needs the fail-safe window to cover the fresh one; the resolver enforces the age limit itself.
        FailSafeMaxDuration = maxStale > duration ? maxStale : duration,
        FailSafeThrottleDuration = TimeSpan.FromSeconds(options.FailSafeThrottleSeconds),
        FactorySoftTimeout = TimeSpan.FromMilliseconds(options.FactorySoftTimeoutMilliseconds),
        AllowTimedOutFactoryBackgroundCompletion = true,
        DistributedLockTimeout = lockTimeout,
        // Redis is a second level: when it is slow or down, requests go on without it rather than wait.
        DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(250),
        DistributedCacheHardTimeout = TimeSpan.FromMilliseconds(750),
        AllowBackgroundDistributedCacheOperations = true,
        AllowBackgroundBackplaneOperations = true,
    };
}
