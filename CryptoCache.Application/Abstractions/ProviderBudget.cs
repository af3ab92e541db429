namespace CryptoCache.Application.Abstractions;

/// <summary>The provider-call budget as one replica sees it.</summary>
/// <param name="Limit">Calls allowed in any 60 s (the shared limit, or this replica's fallback limit while Redis is down).</param>
/// <param name="Remaining">Calls left in the current 60 s; null until known.</param>
/// <param name="Paused">True while every replica leaves the provider alone after a 429.</param>
public readonly record struct ProviderBudget(int Limit, int? Remaining, bool Paused);
