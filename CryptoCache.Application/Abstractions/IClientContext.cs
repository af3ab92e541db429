namespace CryptoCache.Application.Abstractions;

/// <summary>The client of the request being served; implemented by the host (from the HTTP request).</summary>
public interface IClientContext
{
    /// <summary>The current request's client. Read only for cold misses, never on the hit path.</summary>
    ClientIdentity Current { get; }
}
