using System.Security.Cryptography;
using System.Text;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace CryptoCache.Api.Clients;

/// <summary>
/// The configured client keys (<c>Clients:ApiKeys</c>), kept only as SHA-256 hashes. A presented key is hashed and
/// compared with every configured hash in constant time, without stopping at a match, so that timing tells nothing.
/// </summary>
internal sealed class ClientKeys
{
    private readonly (byte[] Hash, ClientIdentity Identity)[] _keys;

    public ClientKeys(IOptions<ClientsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = [.. options.Value.Keys.Select(k => (Hash(k.Secret), new ClientIdentity(ClientCredentials.Id("name", k.Name), k.MaxColdPairsPerMinute)))];
    }

    /// <summary>True when keys are configured: the public API then answers 401 without one.</summary>
    public bool Required => _keys.Length > 0;

    /// <summary>The client a presented key belongs to, or null when it matches none.</summary>
    public ClientIdentity? Match(string presented)
    {
        var hash = Hash(presented);
        ClientIdentity? found = null;
        foreach (var (known, identity) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, known))
            {
                found = identity;
            }
        }

        return found;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
