using System.Globalization;

namespace CryptoCache.Api.Management;

/// <summary>
/// The URLs Kestrel listens on: the public ones (the seed's port 8000 unless ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or
/// --urls say otherwise) and, when enabled, the management port on the host of the first public URL.
/// </summary>
public sealed record ServerUrls(IReadOnlyList<string> Public, int ManagementPort)
{
    public const int DefaultPublicPort = 8000;

    public IEnumerable<string> All => ManagementPort > 0 ? Public.Append(Url(HostOf(Public[0]), ManagementPort)) : Public;

    /// <summary>Ports of the public URLs, for host-based routing.</summary>
    public IReadOnlyList<int> PublicPorts => Public.Select(PortOf).ToArray();

    public static ServerUrls From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = configuration["urls"];
        var ports = configuration["http_ports"];
        IReadOnlyList<string> publicUrls =
            !string.IsNullOrWhiteSpace(urls) ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : !string.IsNullOrWhiteSpace(ports) ? ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => Url("+", int.Parse(p, CultureInfo.InvariantCulture))).ToArray()
            : [Url("0.0.0.0", DefaultPublicPort)];
        var management = configuration.GetValue<int?>($"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Port)}") ?? new ManagementOptions().Port;
        return new ServerUrls(publicUrls, management);
    }

    /// <summary>The first URL whose port another process already listens on, if any.</summary>
    public string? PortInUse()
    {
        foreach (var url in All)
        {
            var host = HostOf(url);
            var port = PortOf(url);
            if (port is <= System.Net.IPEndPoint.MinPort or > System.Net.IPEndPoint.MaxPort)
            {
                continue; // 0 is any free port; an invalid one is reported by the options' validation
            }

            var address = System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : System.Net.IPAddress.Any;
            try
            {
                using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                probe.Bind(new System.Net.IPEndPoint(address, port));
            }
            catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                return url;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Not ours to judge here (an address this host does not have, a privileged port): Kestrel will say.
            }
        }

        return null;
    }

    private static string Url(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");

    private static string HostOf(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        return authority[..authority.LastIndexOf(':')];
    }

    private static int PortOf(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        return int.Parse(authority[(authority.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }
}
