using CryptoCache.Application.Abstractions;
using CryptoCache.Domain;

namespace CryptoCache.Infrastructure.Caching;

/// <summary>Without Redis there is no other replica to keep out: every pair is granted, and the batch is the protection.</summary>
internal sealed class LocalFetchLocks : IFetchLocks
{
    public ValueTask<FetchClaim> ClaimAsync(IReadOnlyCollection<PricePair> pairs, IReadOnlyCollection<PricePair> lookUp, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FetchClaim.All(pairs));

    public ValueTask ReleaseAsync(FetchClaim claim, IReadOnlyCollection<PricePair>? pairs, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
