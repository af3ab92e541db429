using BenchmarkDotNet.Attributes;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Prices.GetPrice;
using CryptoCache.Application.Prices.Models;
using CryptoCache.Domain;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// The resolver's cache read (FusionCache's memory level, the price key spelled per read) and the handler's parsing of
/// the query into a pair: with the mapping, what the handler spends outside the rest of the resolver.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private readonly GetPriceQuery _query = new(HitPathServices.Coin, HitPathServices.Currency);
    private HitPathServices _services = null!;
    private IPriceRepository _repository = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = await HitPathServices.CreateAsync().ConfigureAwait(false);
        _repository = _services.Get<IPriceRepository>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "IPriceRepository.TryGetAsync, cached pair")]
    public ValueTask<PriceEntry?> TryGet() => _repository.TryGetAsync(HitPathServices.Pair, CancellationToken.None);

    [Benchmark(Description = "PricePair from the query (CoinId.From, Currency.From)")]
    public PricePair ParsePair() => new(CoinId.From(_query.Coin!), Currency.From(_query.Currency!));
}
