using AutoMapper;
using CryptoCache.Application.Prices.Models;

namespace CryptoCache.Application.Prices;

/// <summary>
/// Flat maps only: AutoMapper 14's advisory GHSA-rvv3-g6hj-g44x concerns self-referential maps, which this
/// profile must never gain.
/// </summary>
public sealed class PriceMappingProfile : Profile
{
    public PriceMappingProfile()
    {
        CreateMap<PriceLookup, PriceDto>();
    }
}
