using MediatR;

namespace CryptoCache.Application.CoinGecko.CoinsList;

/// <summary>The cached coin list (always fetched with platforms), trimmed here when the client did not ask for them.</summary>
internal sealed class CoinsListQueryHandler(CoinCatalog coins) : IRequestHandler<CoinsListQuery, IReadOnlyList<CoinListItemDto>>
{
    public async Task<IReadOnlyList<CoinListItemDto>> Handle(CoinsListQuery request, CancellationToken cancellationToken)
    {
        var withPlatforms = CoinGeckoRules.Flag(request.IncludePlatform);
        var list = await coins.GetAsync(cancellationToken).ConfigureAwait(false);
        return [.. list.Select(c => new CoinListItemDto { Id = c.Id, Symbol = c.Symbol, Name = c.Name, Platforms = withPlatforms ? c.Platforms : null })];
    }
}
