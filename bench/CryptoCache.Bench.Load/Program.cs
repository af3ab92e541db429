using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CryptoCache.Bench.Load;

// The bench's load tool. Each command prints "key=value" lines on stdout, easy for bench/run.sh to read.
//   herd  --urls A,B,C --path '/price?coin=..&currency=usd' --count 300
//   miss  --url A --count 1000 --concurrency 64 --coin-base N
//   load  --urls A,B,C --pairs 200 --coin-base N --duration 60 --concurrency 32 [--events FILE] [--timeline FILE]
// Every run is bounded: by --count, by --duration, and by a per-request timeout.
var command = args.Length > 0 ? args[0] : "";
var options = Options.Parse(args.Skip(1).ToArray());
ThreadPool.SetMinThreads(64, 64);

var result = command switch
{
    "herd" => await Herd.RunAsync(options),
    "miss" => await Miss.RunAsync(options),
    "load" => await Load.RunAsync(options),
    _ => null,
};

if (result is null)
{
    await Console.Error.WriteLineAsync("usage: herd|miss|load --key value ... (see the comment at the top of Program.cs)");
    return 2;
}

Console.Write(result);
return 0;

namespace CryptoCache.Bench.Load
{
    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                options._values[args[i].TrimStart('-')] = args[i + 1];
            }

            return options;
        }

        public string String(string key, string? fallback = null) =>
            _values.TryGetValue(key, out var value) ? value : fallback ?? throw new ArgumentException($"--{key} is required");

        public int Int(string key, int? fallback = null) =>
            _values.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback ?? throw new ArgumentException($"--{key} is required");

        public string[] Urls() => String("urls", _values.GetValueOrDefault("url")).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => u.TrimEnd('/')).ToArray();
    }

    /// <summary>One HttpClient over a pooled handler that counts the connections it opens.</summary>
    internal sealed class Client : IDisposable
    {
        private int _connections;

        public Client(int maxConnectionsPerServer, TimeSpan timeout)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = maxConnectionsPerServer,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectCallback = async (context, token) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, token);
                        Interlocked.Increment(ref _connections);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            Http = new HttpClient(handler) { Timeout = timeout };
        }

        public HttpClient Http { get; }

        public int Connections => Volatile.Read(ref _connections);

        /// <summary>Opens about <paramref name="perServer"/> connections to each server by sending that many concurrent health checks, in a few waves.</summary>
        public async Task PreOpenAsync(IReadOnlyList<string> urls, int perServer)
        {
            for (var wave = 0; wave < 5 && Connections < perServer * urls.Count; wave++)
            {
                await Task.WhenAll(urls.SelectMany(url => Enumerable.Range(0, perServer).Select(async _ =>
                {
                    using var response = await Http.GetAsync(new Uri(url + "/health"));
                    await response.Content.ReadAsByteArrayAsync();
                })));
            }
        }

        public void Dispose() => Http.Dispose();
    }

    internal enum Outcome : byte
    {
        Fresh,
        Stale,
        Failed,
    }

    internal readonly record struct Answer(long EndUnixMs, double LatencyMs, Outcome Outcome, int Status);

    internal static class Ask
    {
        private static ReadOnlySpan<byte> StaleTrue => "\"stale\":true"u8;

        public static async Task<Answer> OnceAsync(HttpClient http, Uri uri, CancellationToken token)
        {
            var started = Stopwatch.GetTimestamp();
            int status;
            Outcome outcome;
            try
            {
                using var response = await http.GetAsync(uri, token);
                var body = await response.Content.ReadAsByteArrayAsync(token);
                status = (int)response.StatusCode;
                outcome = status != 200 ? Outcome.Failed : body.AsSpan().IndexOf(StaleTrue) >= 0 ? Outcome.Stale : Outcome.Fresh;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                status = 0;
                outcome = Outcome.Failed;
            }

            return new Answer(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, outcome, status);
        }
    }

    internal static class Stats
    {
        public static double Percentile(IReadOnlyList<double> sorted, double p) =>
            sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

        public static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

        /// <summary>Status codes and their counts, e.g. <c>200:299,503:1</c> (0: no answer).</summary>
        public static string Statuses(IEnumerable<Answer> answers) =>
            string.Join(",", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"));

        public static string Lines(params (string Key, object Value)[] values) =>
            string.Concat(values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key}={v.Value}\n")));

        /// <summary>The figures of a set of answers, each key prefixed.</summary>
        public static string Summary(string prefix, List<Answer> answers, double seconds)
        {
            var latencies = answers.Select(a => a.LatencyMs).Order().ToList();
            var failed = answers.Count(a => a.Outcome == Outcome.Failed);
            var stale = answers.Count(a => a.Outcome == Outcome.Stale);
            var fresh = answers.Count - failed - stale;
            return Lines(
                ($"{prefix}.requests", answers.Count), ($"{prefix}.failed", failed), ($"{prefix}.stale", stale), ($"{prefix}.fresh", fresh),
                ($"{prefix}.fresh_share", (answers.Count == 0 ? 0 : (double)fresh / answers.Count).ToString("F4", CultureInfo.InvariantCulture)),
                ($"{prefix}.seconds", seconds.ToString("F1", CultureInfo.InvariantCulture)),
                ($"{prefix}.rps", (seconds > 0 ? answers.Count / seconds : 0).ToString("F0", CultureInfo.InvariantCulture)),
                ($"{prefix}.p50_ms", Ms(Percentile(latencies, 50))), ($"{prefix}.p99_ms", Ms(Percentile(latencies, 99))),
                ($"{prefix}.max_ms", Ms(latencies.Count == 0 ? 0 : latencies[^1])), ($"{prefix}.statuses", Statuses(answers)));
        }
    }

    /// <summary>Many concurrent requests for one pair, released together over connections opened beforehand.</summary>
    internal static class Herd
    {
        public static async Task<string> RunAsync(Options options)
        {
            var urls = options.Urls();
            var count = options.Int("count");
            var path = options.String("path");
            var perServer = (count + urls.Length - 1) / urls.Length;
            using var client = new Client(perServer, TimeSpan.FromSeconds(options.Int("timeout", 10)));
            await client.PreOpenAsync(urls, perServer);

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var uris = Enumerable.Range(0, count).Select(i => new Uri(urls[i % urls.Length] + path)).ToArray();
            var tasks = uris.Select(async uri =>
            {
                await gate.Task;
                var answer = await Ask.OnceAsync(client.Http, uri, CancellationToken.None);
                return (answer, end: Stopwatch.GetTimestamp());
            }).ToArray();

            var start = Stopwatch.GetTimestamp();
            gate.SetResult();
            var results = await Task.WhenAll(tasks);

            var ends = results.Select(r => Stopwatch.GetElapsedTime(start, r.end).TotalMilliseconds).Order().ToList();
            var answers = results.Select(r => r.answer).ToList();
            var failed = answers.Count(a => a.Outcome == Outcome.Failed);
            return Stats.Lines(
                ("count", count), ("ok", count - failed), ("failed", failed), ("connections", client.Connections),
                ("first_ms", Stats.Ms(ends[0])), ("p50_ms", Stats.Ms(Stats.Percentile(ends, 50))), ("last_ms", Stats.Ms(ends[^1])),
                ("statuses", Stats.Statuses(answers)));
        }
    }

    /// <summary>Distinct pairs, each asked once, a fixed number in flight.</summary>
    internal static class Miss
    {
        public static async Task<string> RunAsync(Options options)
        {
            var url = options.Urls()[0];
            var count = options.Int("count");
            var concurrency = options.Int("concurrency");
            var coinBase = options.Int("coin-base");
            var currency = options.String("currency", "usd");
            using var client = new Client(concurrency, TimeSpan.FromSeconds(options.Int("timeout", 10)));
            await client.PreOpenAsync([url], concurrency);

            var uris = Enumerable.Range(0, count).Select(i => new Uri($"{url}/price?coin=coin-{coinBase + i}&currency={currency}")).ToArray();
            var next = -1;
            var answers = new Answer[count];
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    answers[i] = await Ask.OnceAsync(client.Http, uris[i], CancellationToken.None);
                }
            }));
            var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            var latencies = answers.Select(a => a.LatencyMs).Order().ToList();
            var failed = answers.Count(a => a.Outcome == Outcome.Failed);
            return Stats.Lines(
                ("count", count), ("ok", count - failed), ("failed", failed), ("wall_ms", Stats.Ms(wall)),
                ("p50_ms", Stats.Ms(Stats.Percentile(latencies, 50))), ("p99_ms", Stats.Ms(Stats.Percentile(latencies, 99))),
                ("statuses", Stats.Statuses(answers)));
        }
    }

    /// <summary>
    /// Closed-loop load over hot pairs and replicas in turn, for a bounded time, reading every answer's stale flag.
    /// Faults are injected by the caller, which writes "name unix-ms" lines to the events file; at the end the answers
    /// after each event (up to the next) are summarised, and each event whose name ends in "_up" gets a recovery time: from the
    /// event to the last answer after it that was stale or failed.
    /// </summary>
    internal static class Load
    {
        public static async Task<string> RunAsync(Options options)
        {
            var urls = options.Urls();
            var pairs = options.Int("pairs");
            var coinBase = options.Int("coin-base");
            var duration = TimeSpan.FromSeconds(options.Int("duration"));
            var concurrency = options.Int("concurrency");
            var currency = options.String("currency", "usd");
            using var client = new Client(concurrency, TimeSpan.FromSeconds(options.Int("timeout", 5)));
            await client.PreOpenAsync(urls, Math.Max(1, concurrency / urls.Length));

            // Pair i goes to replica i % replicas, the next round to the next one: every replica sees every pair.
            var uris = Enumerable.Range(0, pairs * urls.Length)
                .Select(i => new Uri($"{urls[i % urls.Length]}/price?coin=coin-{coinBase + (i % pairs)}&currency={currency}")).ToArray();
            var next = -1L;
            using var stop = new CancellationTokenSource(duration);
            var startUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var perWorker = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                var mine = new List<Answer>(4096);
                while (!stop.IsCancellationRequested)
                {
                    var i = (int)(Interlocked.Increment(ref next) % uris.Length);
                    mine.Add(await Ask.OnceAsync(client.Http, uris[i], CancellationToken.None));
                }

                return mine;
            }));
            var answers = perWorker.SelectMany(a => a).OrderBy(a => a.EndUnixMs).ToList();
            var endUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            var events = ReadEvents(options.String("events", ""));
            if (options.String("timeline", "") is { Length: > 0 } timeline)
            {
                await WriteTimelineAsync(timeline, answers, startUnixMs, events);
            }

            var output = new System.Text.StringBuilder();
            output.Append(Stats.Summary("total", answers, (endUnixMs - startUnixMs) / 1000.0));
            output.Append(Stats.Lines(("connections", client.Connections)));
            var bounds = new List<(string Name, long At)> { ("start", startUnixMs) };
            bounds.AddRange(events);
            bounds.Add(("end", endUnixMs + 1));
            for (var i = 0; i + 1 < bounds.Count; i++)
            {
                var (name, from) = bounds[i];
                var to = bounds[i + 1].At;
                output.Append(Stats.Summary($"after.{name}", answers.Where(a => a.EndUnixMs >= from && a.EndUnixMs < to).ToList(), (to - from) / 1000.0));
            }

            foreach (var (name, at) in events.Where(e => e.Name.EndsWith("_up", StringComparison.Ordinal)))
            {
                var lastBad = answers.LastOrDefault(a => a.EndUnixMs >= at && a.Outcome != Outcome.Fresh);
                output.Append(Stats.Lines(($"recovery_ms.{name}", lastBad == default ? 0 : lastBad.EndUnixMs - at)));
            }

            return output.ToString();
        }

        private static List<(string Name, long At)> ReadEvents(string path) =>
            path.Length == 0 || !File.Exists(path)
                ? []
                : File.ReadAllLines(path)
                    .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(parts => parts.Length == 2)
                    .Select(parts => (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture)))
                    .OrderBy(e => e.Item2)
                    .ToList();

        /// <summary>One line per second: requests, fresh, stale, failed, p99 and max latency; and the events in their second.</summary>
        private static async Task WriteTimelineAsync(string path, List<Answer> answers, long startUnixMs, List<(string Name, long At)> events)
        {
            var lines = new List<string> { "second,requests,fresh,stale,failed,p99_ms,max_ms,events" };
            foreach (var second in answers.GroupBy(a => (a.EndUnixMs - startUnixMs) / 1000).OrderBy(g => g.Key))
            {
                var latencies = second.Select(a => a.LatencyMs).Order().ToList();
                var names = events.Where(e => (e.At - startUnixMs) / 1000 == second.Key).Select(e => e.Name);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{second.Key},{latencies.Count},{second.Count(a => a.Outcome == Outcome.Fresh)},{second.Count(a => a.Outcome == Outcome.Stale)}," +
                    $"{second.Count(a => a.Outcome == Outcome.Failed)},{Stats.Ms(Stats.Percentile(latencies, 99))},{Stats.Ms(latencies[^1])},{string.Join(' ', names)}"));
            }

            await File.WriteAllLinesAsync(path, lines);
        }
    }
}
