namespace CryptoCache.Application.Clients;

/// <summary>The outcome of charging a request's cold pairs: the first <paramref name="Allowed"/> may go to the provider.</summary>
internal readonly record struct ColdMissCharge(string ClientId, int Allowed, TimeSpan RetryAfter);
