namespace CryptoCache.Application.Prices.Models;

/// <summary>
/// One pair of a request resolved together with others: <see cref="Answer"/> when the cache answered at once (a hit, for
/// which no task is made), otherwise <see cref="Pending"/>, which gives the answer or fails as
/// <see cref="PriceResolver.ResolveAsync"/> would.
/// </summary>
internal readonly record struct PairLookup(PriceLookup? Answer, Task<PriceLookup>? Pending)
{
    public Task<PriceLookup> AsTask() => Pending ?? Task.FromResult(Answer!);
}
