using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace CryptoCache.Tests.Support;

/// <summary>
/// Real Redis under Sentinel on loopback: a primary, a replica of it and three sentinels (quorum 2), each a
/// <c>redis-server</c> process on a free port, all behind one password. Disposing it kills every process it started.
/// </summary>
internal sealed class SentinelCluster : IAsyncDisposable
{
    public const string MasterName = "mymaster";

    private readonly string _dir = Directory.CreateTempSubdirectory("cryptocache-sentinel-").FullName;
    private readonly List<Process> _processes = [];
    private readonly List<ConnectionMultiplexer> _connections = [];

    private SentinelCluster(string password) => Password = password;

    public string Password { get; }

    public int PrimaryPort { get; private set; }

    public int ReplicaPort { get; private set; }

    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];

    /// <summary>The StackExchange.Redis form the API is given: every sentinel, and the master's name.</summary>
    public string ConnectionString =>
        string.Join(',', SentinelPorts.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}")) + $",serviceName={MasterName}";

    private Process Primary { get; set; } = null!;

    public static async Task<SentinelCluster> StartAsync(TimeSpan downAfter, TimeSpan failoverTimeout)
    {
        var cluster = new SentinelCluster("pw-" + Guid.NewGuid().ToString("N"));
        try
        {
            await cluster.StartProcessesAsync(downAfter, failoverTimeout).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the primary at once (SIGKILL), as a crash or a lost node would.</summary>
    public async Task KillPrimaryAsync()
    {
        Primary.Kill();
        await Primary.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>The port the sentinel answers for the master's name, or null when it cannot be asked.</summary>
    public async Task<int?> MasterPortAsync(int sentinelPort)
    {
        try
        {
            var address = await Sentinel(sentinelPort).SentinelGetMasterAddressByNameAsync(MasterName).ConfigureAwait(false);
            return (address as IPEndPoint)?.Port;
        }
        catch (RedisException)
        {
            return null;
        }
    }

    /// <summary>A data node's database (a connection of its own, made once).</summary>
    public IDatabase Node(int port) => Connect(port, sentinel: false).GetDatabase();

    public IServer NodeServer(int port) => Connect(port, sentinel: false).GetServer("127.0.0.1", port);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            }
            catch (InvalidOperationException)
            {
                // never started or already reaped
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a process may still be closing a file; the folder is under /tmp
        }
    }

    private IServer Sentinel(int port) => Connect(port, sentinel: true).GetServer("127.0.0.1", port);

    private async Task StartProcessesAsync(TimeSpan downAfter, TimeSpan failoverTimeout)
    {
        PrimaryPort = FreePort.Next();
        ReplicaPort = FreePort.Next();
        SentinelPorts = [FreePort.Next(), FreePort.Next(), FreePort.Next()];

        Primary = StartRedis(PrimaryPort, replicaOf: null);
        StartRedis(ReplicaPort, replicaOf: PrimaryPort);
        foreach (var port in SentinelPorts)
        {
            var conf = Path.Combine(_dir, $"sentinel-{port.ToString(CultureInfo.InvariantCulture)}.conf");
            await File.WriteAllLinesAsync(conf,
            [
                $"port {port.ToString(CultureInfo.InvariantCulture)}",
                "bind 127.0.0.1",
                $"dir {_dir}",
                $"requirepass {Password}",
                $"sentinel sentinel-pass {Password}",
                $"sentinel monitor {MasterName} 127.0.0.1 {PrimaryPort.ToString(CultureInfo.InvariantCulture)} 2",
                $"sentinel auth-pass {MasterName} {Password}",
                $"sentinel down-after-milliseconds {MasterName} {((int)downAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}",
                $"sentinel failover-timeout {MasterName} {((int)failoverTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}",
                $"sentinel parallel-syncs {MasterName} 1",
            ]).ConfigureAwait(false);
            Start(conf, "--sentinel", "--logfile", Path.Combine(_dir, $"sentinel-{port.ToString(CultureInfo.InvariantCulture)}.log"));
        }

        // Ready when the replica copies the primary and every sentinel knows the replica and the two other sentinels:
        // before that a failover cannot be agreed on.
        await WaitUntilAsync(async () =>
        {
            var info = await NodeServer(ReplicaPort).InfoAsync("replication").ConfigureAwait(false);
            if (!info.SelectMany(g => g).Any(p => p.Key == "master_link_status" && p.Value == "up"))
            {
                return false;
            }

            foreach (var port in SentinelPorts)
            {
                var sentinels = await Sentinel(port).SentinelSentinelsAsync(MasterName).ConfigureAwait(false);
                var replicas = await Sentinel(port).SentinelReplicasAsync(MasterName).ConfigureAwait(false);
                if (sentinels.Length < 2 || replicas.Length < 1)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(30), "the replica in sync and every sentinel aware of the replica and of the other sentinels").ConfigureAwait(false);
    }

    private Process StartRedis(int port, int? replicaOf)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "--port", p, "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", _dir,
            "--dbfilename", $"dump-{p}.rdb", "--logfile", Path.Combine(_dir, $"redis-{p}.log"),
            "--requirepass", Password, "--masterauth", Password,
        };
        if (replicaOf is { } primary)
        {
            args.AddRange(["--replicaof", "127.0.0.1", primary.ToString(CultureInfo.InvariantCulture)]);
        }

        return Start([.. args]);
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(RedisServer.Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private ConnectionMultiplexer Connect(int port, bool sentinel)
    {
        lock (_connections)
        {
            var existing = _connections.FirstOrDefault(c => c.GetEndPoints().OfType<IPEndPoint>().Any(e => e.Port == port));
            if (existing is not null)
            {
                return existing;
            }

            var options = new ConfigurationOptions
            {
                AbortOnConnectFail = false,
                ConnectTimeout = 1000,
                AsyncTimeout = 2000,
                SyncTimeout = 2000,
                AllowAdmin = true,
                Password = Password,
                CommandMap = sentinel ? CommandMap.Sentinel : CommandMap.Default,
            };
            options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, port));
            var connection = ConnectionMultiplexer.Connect(options);
            _connections.Add(connection);
            return connection;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Sentinel cluster not ready within {timeout}: {what}.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
