using StackExchange.Redis;

namespace CryptoCache.Infrastructure.Redis;

/// <summary>Reads the seed's <c>redis://</c> URLs as well as StackExchange.Redis configuration strings.</summary>
internal static class RedisConnectionString
{
    private const int DefaultPort = 6379;

    public static bool TryParse(string? value, out ConfigurationOptions options)
    {
        options = new ConfigurationOptions();
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUrl(value, options);
        }

        try
        {
            options = ConfigurationOptions.Parse(value);
            return options.EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

    private static bool TryParseUrl(string value, ConfigurationOptions options)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : DefaultPort);
        options.Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase);
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = separator < 0 ? string.Empty : Uri.UnescapeDataString(uri.UserInfo[..separator]);
            var password = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[(separator + 1)..]);
            options.User = user.Length > 0 ? user : null;
            options.Password = password.Length > 0 ? password : null;
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, out var database) || database < 0)
            {
                return false;
            }

            options.DefaultDatabase = database;
        }

        return true;
    }
}
