using System.Diagnostics;
using StackExchange.Redis;

namespace CryptoCache.Tests.Support;

/// <summary>A private redis-server on a free loopback port, started and stopped by the tests. Never a mock.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cryptocache-redis-").FullName;
    private ConnectionMultiplexer? _admin;

    private RedisServer(int port, string? password)
    {
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>The seed's REDIS_URL form.</summary>
    public string Url => Password is null ? $"redis://127.0.0.1:{Port}" : $"redis://:{Uri.EscapeDataString(Password)}@127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var server = new RedisServer(FreePort.Next(), password);
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    public static string Executable { get; } = FindExecutable();

    /// <summary>Starts it (again, after <see cref="StopAsync"/>) on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var args = $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {_dir} --daemonize yes --pidfile {_dir}/redis.pid --logfile {_dir}/redis.log";
        if (Password is not null)
        {
            args += $" --requirepass {Password}";
        }

        using (var process = Process.Start(new ProcessStartInfo(Executable, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                _admin ??= await ConnectionMultiplexer.ConnectAsync(AdminConfiguration()).ConfigureAwait(false);
                await _admin.GetDatabase().PingAsync().ConfigureAwait(false);
                return;
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public async Task StopAsync()
    {
        var pidFile = Path.Combine(_dir, "redis.pid");
        if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                // already gone
            }

            File.Delete(pidFile);
        }
    }

    public IDatabase Database => _admin!.GetDatabase();

    /// <summary>
    /// Whether <paramref name="key"/> exists within <paramref name="within"/>: a miss is answered first and stored right
    /// after, so its key lands a moment after the answer.
    /// </summary>
    public async Task<bool> KeyAppearsAsync(string key, TimeSpan within)
    {
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < within; await Task.Delay(50).ConfigureAwait(false))
        {
            if (await Database.KeyExistsAsync(key).ConfigureAwait(false))
            {
                return true;
            }
        }

        return await Database.KeyExistsAsync(key).ConfigureAwait(false);
    }

    public async Task FlushAsync() => await _admin!.GetServer("127.0.0.1", Port).FlushAllDatabasesAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }

        Directory.Delete(_dir, recursive: true);
    }

    private ConfigurationOptions AdminConfiguration()
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = false, ConnectTimeout = 1000, AllowAdmin = true, Password = Password };
        options.EndPoints.Add("127.0.0.1", Port);
        return options;
    }

    private static string FindExecutable()
    {
        foreach (var candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server is not installed. The integration tests need a real Redis: run 'apt-get install -y redis-server' (or 'bash .ci/run', which installs it).");
    }
}
