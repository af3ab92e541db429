namespace CryptoCache.Application.Abstractions;

/// <summary>
/// Who is asking, as far as fair share goes. <paramref name="Id"/> is opaque: a truncated SHA-256 of the client's key
/// or address, never the key itself, so that nothing downstream can log or store a secret.
/// </summary>
/// <param name="Id">Opaque, stable id of the client (hex).</param>
/// <param name="MaxColdPairsPerMinute">This client's own cold-pair limit (a configured key's), or null for the default.</param>
public readonly record struct ClientIdentity(string Id, int? MaxColdPairsPerMinute = null);
