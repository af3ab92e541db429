using System.Collections.Frozen;
using CryptoCache.Application.Abstractions;

namespace CryptoCache.Application.CoinGecko;

/// <summary>
/// The provider's coin list, cached like the currency list (<c>Cache:CoinsListTtlSeconds</c>), with lookups by name,
/// symbol and asset platform built once per cached list.
/// </summary>
internal sealed class CoinCatalog(IPriceRepository repository, IPriceProvider provider)
{
    private Index? _index;

    /// <exception cref="Common.Exceptions.ProviderUnavailableException">No list is cached and the provider cannot be asked.</exception>
    public ValueTask<IReadOnlyList<CoinListing>> GetAsync(CancellationToken cancellationToken) =>
        repository.GetOrFetchCoinsListAsync(provider.GetCoinsListAsync, cancellationToken);

    /// <exception cref="Common.Exceptions.ProviderUnavailableException">No list is cached and the provider cannot be asked.</exception>
    public async ValueTask<Index> GetIndexAsync(CancellationToken cancellationToken)
    {
        var list = await GetAsync(cancellationToken).ConfigureAwait(false);
        var index = Volatile.Read(ref _index);
        if (index is null || !ReferenceEquals(index.Source, list))
        {
            index = new Index(list);
            Volatile.Write(ref _index, index);
        }

        return index;
    }

    /// <summary>Lookups over one version of the list; names and symbols compare without case, coins keep the list's order.</summary>
    internal sealed class Index
    {
        public Index(IReadOnlyList<CoinListing> source)
        {
            Source = source;
            ByName = source.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<CoinListing>)[.. g], StringComparer.OrdinalIgnoreCase);
            BySymbol = source.GroupBy(c => c.Symbol, StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<CoinListing>)[.. g], StringComparer.OrdinalIgnoreCase);
            Platforms = source.SelectMany(c => c.Platforms.Keys).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        }

        public IReadOnlyList<CoinListing> Source { get; }

        public FrozenDictionary<string, IReadOnlyList<CoinListing>> ByName { get; }

        public FrozenDictionary<string, IReadOnlyList<CoinListing>> BySymbol { get; }

        public FrozenSet<string> Platforms { get; }
    }
}
