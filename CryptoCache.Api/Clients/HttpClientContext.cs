using CryptoCache.Application.Abstractions;

namespace CryptoCache.Api.Clients;

/// <summary>
/// The client of the current HTTP request: the configured key it authenticated with, else the key it presents
/// (hashed), else its remote address (hashed). Read only for cold misses; computed once per request.
/// </summary>
internal sealed class HttpClientContext(IHttpContextAccessor accessor) : IClientContext
{
    public const string ItemKey = "CryptoCache.Client";

    private static readonly ClientIdentity Unknown = new(ClientCredentials.Id("none", string.Empty));

    public ClientIdentity Current
    {
        get
        {
            if (accessor.HttpContext is not { } context)
            {
                return Unknown;
            }

            if (context.Items.TryGetValue(ItemKey, out var known) && known is ClientIdentity identity)
            {
                return identity;
            }

            // Behind a proxy every client shares the proxy's address: give clients keys there (README, "Client keys and fair share").
            identity = ClientCredentials.Presented(context) is { } key
                ? new ClientIdentity(ClientCredentials.Id("key", key))
                : new ClientIdentity(ClientCredentials.Id("address", context.Connection.RemoteIpAddress?.ToString() ?? string.Empty));
            context.Items[ItemKey] = identity;
            return identity;
        }
    }
}
