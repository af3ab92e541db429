using System.Security.Cryptography;
using System.Text;
using CryptoCache.Api.CoinGecko;

namespace CryptoCache.Api.Clients;

/// <summary>Where a request carries its client key, and how a key or an address becomes an opaque client id.</summary>
internal static class ClientCredentials
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly string[] CoinGeckoHeaders = ["x-cg-pro-api-key", "x-cg-demo-api-key"];
    private static readonly string[] CoinGeckoParameters = ["x_cg_pro_api_key", "x_cg_demo_api_key"];

    /// <summary>The key the request presents: <c>X-Api-Key</c>, or on <c>/api/v3</c> CoinGecko's key header or parameter; null when none.</summary>
    public static string? Presented(HttpContext context)
    {
        if (NonEmpty(context.Request.Headers[ApiKeyHeader]) is { } key)
        {
            return key;
        }

        if (!CoinGeckoErrorWriter.Applies(context))
        {
            return null;
        }

        foreach (var header in CoinGeckoHeaders)
        {
            if (NonEmpty(context.Request.Headers[header]) is { } value)
            {
                return value;
            }
        }

        foreach (var parameter in CoinGeckoParameters)
        {
            if (NonEmpty(context.Request.Query[parameter]) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// A truncated SHA-256 (96 bits, hex) of what identifies the client: the only form in which a key or an address goes
    /// beyond this layer (into the quota store), so that neither can be logged, labelled or read back.
    /// </summary>
    public static string Id(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)).AsSpan(0, 12));

    private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
