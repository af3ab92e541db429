namespace CryptoCache.Application.Abstractions;

/// <summary>How many of the cold pairs asked for were charged to the client, and when a refused one may be asked again.</summary>
/// <param name="Allowed">Pairs charged (0 to the number asked).</param>
/// <param name="RetryAfter">When the client's window has room again; zero when every pair was allowed.</param>
public readonly record struct ClientQuotaDecision(int Allowed, TimeSpan RetryAfter);
