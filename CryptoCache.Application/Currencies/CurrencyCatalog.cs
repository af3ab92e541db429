using System.Collections.Frozen;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Application.Logging;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Application.Currencies;

/// <summary>The provider's supported quote currencies, cached like a price.</summary>
internal sealed class CurrencyCatalog(IPriceRepository repository, IPriceProvider client, TimeProvider time, ILogger<CurrencyCatalog> logger)
{
    /// <summary>
    /// How long a validation trusts the set it built from the cached list before asking the cache again. Every price
    /// request validates its currency, and a lookup in a set is far cheaper than a cache read and a scan of the list;
    /// the list itself is cached for <c>Cache:CurrenciesTtlSeconds</c> (an hour), so a second's lag changes nothing.
    /// </summary>
    internal static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(1);

    private Snapshot? _snapshot;

    /// <exception cref="ProviderUnavailableException">No list is cached and the provider cannot be asked.</exception>
    public ValueTask<IReadOnlyList<string>> GetAsync(CancellationToken cancellationToken) =>
        repository.GetOrFetchCurrenciesAsync(client.GetSupportedCurrenciesAsync, cancellationToken);

    /// <summary>
    /// True or false when the list is known; null when it cannot be had, in which case the code's shape has
    /// already been checked and the price lookup will report the outage.
    /// </summary>
    public ValueTask<bool?> IsSupportedAsync(string currency, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && time.GetTimestamp() < snapshot.ExpiresAt
            ? ValueTask.FromResult<bool?>(snapshot.Codes.Contains(currency))
            : RefreshAndCheckAsync(currency, snapshot, cancellationToken);
    }

    /// <summary>
    /// True only when the list is at hand (a snapshot younger than <see cref="SnapshotLifetime"/>) and holds the code:
    /// the validation shortcut's question, answered without a cache read or an allocation. False means "ask
    /// <see cref="IsSupportedAsync"/>", not "unsupported".
    /// </summary>
    public bool IsKnownSupported(string currency)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && time.GetTimestamp() < snapshot.ExpiresAt && snapshot.Codes.Contains(currency);
    }

    private async ValueTask<bool?> RefreshAndCheckAsync(string currency, Snapshot? previous, CancellationToken cancellationToken)
    {
        try
        {
            var supported = await GetAsync(cancellationToken).ConfigureAwait(false);
            // The set is rebuilt only when the cache holds a new list.
            var codes = ReferenceEquals(previous?.Source, supported) ? previous!.Codes : supported.ToFrozenSet(StringComparer.Ordinal);
            Volatile.Write(ref _snapshot, new Snapshot(supported, codes, time.GetTimestamp() + (long)(SnapshotLifetime.TotalSeconds * time.TimestampFrequency)));
            return codes.Contains(currency);
        }
        catch (ProviderUnavailableException ex)
        {
            ApplicationLog.CurrencyListUnavailable(logger, ex.Failure);
            return null;
        }
    }

    private sealed record Snapshot(IReadOnlyList<string> Source, FrozenSet<string> Codes, long ExpiresAt);
}
