using CryptoCache.Application.Abstractions;

namespace CryptoCache.Api.Clients;

/// <summary>
/// The client of the current HTTP request: the configured key it authenticated with, else the key it presents
/// (hashed), else its remote address (hashed). Read only for cold misses; computed once per request.
/// </summary>
/// <remarks>
/// The request is found through a slot of our own that <see cref="ClientKeyMiddleware"/> fills, not through
/// <c>IHttpContextAccessor</c>: with the accessor registered, ASP.NET Core stops reusing a connection's HttpContext and
/// builds a new one (request, response, features) for every request, on the hit path too.
/// </remarks>
internal sealed class HttpClientContext : IClientContext
{
    private static readonly ClientIdentity Unknown = new(ClientCredentials.Id("none", string.Empty));

    private static readonly AsyncLocal<RequestSlot?> CurrentRequest = new();

    public ClientIdentity Current
    {
        get
        {
            if (CurrentRequest.Value is not { Context: { } context } slot)
            {
                return Unknown;
            }

            // Behind a proxy every client shares the proxy's address: give clients keys there (README, "Client keys and fair share").
            return slot.Identity ??= ClientCredentials.Presented(context) is { } key
                ? new ClientIdentity(ClientCredentials.Id("key", key))
                : new ClientIdentity(ClientCredentials.Id("address", context.Connection.RemoteIpAddress?.ToString() ?? string.Empty));
        }
    }

    /// <summary>
    /// Makes <paramref name="context"/> the current request of this flow, with the client it authenticated as if any.
    /// Dispose the slot when the request ends, so that work outliving it (a shared provider call) sees no request
    /// rather than a later one on the same connection.
    /// </summary>
    public static RequestSlot Enter(HttpContext context, ClientIdentity? authenticated = null)
    {
        var slot = new RequestSlot(context) { Identity = authenticated };
        CurrentRequest.Value = slot;
        return slot;
    }

    /// <summary>The request a flow serves, and its client once known.</summary>
    internal sealed class RequestSlot(HttpContext context) : IDisposable
    {
        public HttpContext? Context { get; private set; } = context;

        public ClientIdentity? Identity { get; set; }

        public void Dispose() => Context = null;
    }
}
