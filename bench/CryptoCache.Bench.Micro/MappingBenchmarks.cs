using AutoMapper;
using BenchmarkDotNet.Attributes;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.Models;

namespace CryptoCache.Bench.Micro;

/// <summary>AutoMapper's <see cref="PriceLookup"/> to <see cref="PriceDto"/>, called as the handler calls it (source typed as object).</summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private HitPathServices _services = null!;
    private IMapper _mapper = null!;
    private PriceLookup _lookup = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = await HitPathServices.CreateAsync().ConfigureAwait(false);
        _mapper = _services.Get<IMapper>();
        var dto = _services.Dto;
        // The lookup the resolver built for the answer in hand: the DTO is its one-to-one copy.
        _lookup = new PriceLookup(dto.Coin, dto.Currency, dto.Price, dto.MarketCap, dto.Volume24h, dto.Change24h, dto.Cached, dto.Stale,
            dto.AgeSeconds, dto.FreshForSeconds, dto.FetchedAt, dto.LastUpdatedAt, dto.Source);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "IMapper.Map<PriceDto>(PriceLookup)")]
    public PriceDto Map() => _mapper.Map<PriceDto>(_lookup);
}
