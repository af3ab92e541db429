using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CryptoCache.Bench.Load;

// The bench's load tool. Each command prints "key=value" lines on stdout, easy for bench/run.sh to read.
//   herd  --urls A,B,C --path '/price?coin=..&currency=usd' --count 300 [--cached-path '/price?coin=bitcoin&currency=usd']
//         (with --cached-path, the same burst on that cached pair first, over the same connections: "cached_*")
//         [--timeline FILE] (every answer: burst, ms from its release, status)
//   miss  --url A --count 1000 --concurrency 64 --coin-base N [--timeline FILE] (every request: index, sent and answered
//         ms from the start, status) [--self-warmup S] (S seconds of /health first: this tool's own recompilations)
//   load  --urls A,B,C --pairs 200 --coin-base N --duration 60 --concurrency 32 [--events FILE] [--timeline FILE]
//         or a hot set: --coins 50 [--coin-base 1] --currencies usd,eur,gbp,jpy [--pick roundrobin|uniform|zipf]
//         [--zipf-s 1] [--seed 1]; and [--warmup S] (figures of the answers after S seconds, "warm.*"),
//         [--steady S] (the same after S seconds, "steady.*": past a cold start, once the hot set is known),
//         [--answers FILE] (every answer: time, latency, pair, status, stale)
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

    /// <summary>One answer; <see cref="Pair"/> is the index of the pair asked in the load's pair set (-1 elsewhere).</summary>
    internal readonly record struct Answer(long EndUnixMs, double LatencyMs, Outcome Outcome, int Status, int Pair = -1)
    {
        public long StartUnixMs => EndUnixMs - (long)Math.Ceiling(LatencyMs);
    }

    internal static class Ask
    {
        private static ReadOnlySpan<byte> StaleTrue => "\"stale\":true"u8;

        /// <param name="clientKey">Sent as X-Api-Key: the service tells clients apart by it (fair share per client).</param>
        public static async Task<Answer> OnceAsync(HttpClient http, Uri uri, CancellationToken token, string? clientKey = null)
        {
            var started = Stopwatch.GetTimestamp();
            int status;
            Outcome outcome;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (clientKey is not null)
                {
                    request.Headers.Add("X-Api-Key", clientKey);
                }

                using var response = await http.SendAsync(request, token);
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
            var serverErrors = answers.Count(a => a.Status >= 500);
            return Lines(
                ($"{prefix}.requests", answers.Count), ($"{prefix}.failed", failed), ($"{prefix}.5xx", serverErrors), ($"{prefix}.stale", stale), ($"{prefix}.fresh", fresh),
                ($"{prefix}.fresh_share", (answers.Count == 0 ? 0 : (double)fresh / answers.Count).ToString("F4", CultureInfo.InvariantCulture)),
                ($"{prefix}.seconds", seconds.ToString("F1", CultureInfo.InvariantCulture)),
                ($"{prefix}.rps", (seconds > 0 ? answers.Count / seconds : 0).ToString("F0", CultureInfo.InvariantCulture)),
                ($"{prefix}.p50_ms", Ms(Percentile(latencies, 50))), ($"{prefix}.p99_ms", Ms(Percentile(latencies, 99))),
                ($"{prefix}.max_ms", Ms(latencies.Count == 0 ? 0 : latencies[^1])), ($"{prefix}.statuses", Statuses(answers)));
        }
    }

    /// <summary>
    /// Many concurrent requests for one pair, released together over connections opened beforehand. With
    /// <c>--cached-path</c>, the same burst for a cached pair goes first over the same connections: what the burst itself
    /// costs (sending, queueing, answering), to set the herd's figures against.
    /// </summary>
    internal static class Herd
    {
        public static async Task<string> RunAsync(Options options)
        {
            var urls = options.Urls();
            var count = options.Int("count");
            var path = options.String("path");
            var cachedPath = options.String("cached-path", "");
            var timeline = options.String("timeline", "");
            var perServer = (count + urls.Length - 1) / urls.Length;
            using var client = new Client(perServer, TimeSpan.FromSeconds(options.Int("timeout", 10)));
            await client.PreOpenAsync(urls, perServer);

            var output = "";
            var lines = new List<string>();
            if (cachedPath.Length > 0)
            {
                var cached = await BurstAsync(client, urls, cachedPath, count);
                output += Figures("cached_", cached);
                lines.AddRange(cached.Answers.Select(a => Line("cached", a)));
            }

            var herd = await BurstAsync(client, urls, path, count);
            lines.AddRange(herd.Answers.Select(a => Line("herd", a)));
            if (timeline.Length > 0)
            {
                await File.WriteAllLinesAsync(timeline, lines);
            }

            return Stats.Lines(("count", count), ("connections", client.Connections)) + Figures("", herd) + output;
        }

        private static string Line(string burst, (double EndMs, int Status) answer) =>
            string.Create(CultureInfo.InvariantCulture, $"{burst} {answer.EndMs:F2} {answer.Status}");

        private static string Figures(string prefix, (List<double> Ends, List<(double EndMs, int Status)> Answers, long ReleaseUnixMs) burst)
        {
            var failed = burst.Answers.Count(a => a.Status != 200);
            return Stats.Lines(
                ($"{prefix}release_unix_ms", burst.ReleaseUnixMs), ($"{prefix}ok", burst.Answers.Count - failed), ($"{prefix}failed", failed),
                ($"{prefix}first_ms", Stats.Ms(burst.Ends[0])), ($"{prefix}p50_ms", Stats.Ms(Stats.Percentile(burst.Ends, 50))),
                ($"{prefix}last_ms", Stats.Ms(burst.Ends[^1])),
                ($"{prefix}statuses", string.Join(",", burst.Answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"))));
        }

        /// <summary>Sends <paramref name="count"/> requests for <paramref name="path"/> at once, the replicas in turn; times are from the release.</summary>
        private static async Task<(List<double> Ends, List<(double EndMs, int Status)> Answers, long ReleaseUnixMs)> BurstAsync(Client client, string[] urls, string path, int count)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var uris = Enumerable.Range(0, count).Select(i => new Uri(urls[i % urls.Length] + path)).ToArray();
            var tasks = uris.Select(async uri =>
            {
                await gate.Task;
                var answer = await Ask.OnceAsync(client.Http, uri, CancellationToken.None);
                return (answer, end: Stopwatch.GetTimestamp());
            }).ToArray();

            var releasedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var start = Stopwatch.GetTimestamp();
            gate.SetResult();
            var results = await Task.WhenAll(tasks);
            var answers = results.Select(r => (EndMs: Stopwatch.GetElapsedTime(start, r.end).TotalMilliseconds, r.answer.Status)).OrderBy(a => a.EndMs).ToList();
            return (answers.Select(a => a.EndMs).ToList(), answers, releasedAt);
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
            await WarmUpAsync(client.Http, new Uri(url + "/health"), concurrency, options.Int("self-warmup", 0));

            var timeline = options.String("timeline", "");
            var uris = Enumerable.Range(0, count).Select(i => new Uri($"{url}/price?coin=coin-{coinBase + i}&currency={currency}")).ToArray();
            var next = -1;
            var answers = new Answer[count];
            var sent = new double[count];
            var answered = new double[count];
            var startUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    sent[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    answers[i] = await Ask.OnceAsync(client.Http, uris[i], CancellationToken.None);
                    answered[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }));
            var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (timeline.Length > 0)
            {
                await File.WriteAllLinesAsync(timeline, Enumerable.Range(0, count).Select(i =>
                    string.Create(CultureInfo.InvariantCulture, $"{i} {sent[i]:F2} {answered[i]:F2} {answers[i].Status}")));
            }

            var latencies = answers.Select(a => a.LatencyMs).Order().ToList();
            var failed = answers.Count(a => a.Outcome == Outcome.Failed);
            return Stats.Lines(
                ("start_unix_ms", startUnixMs), ("count", count), ("ok", count - failed), ("failed", failed), ("wall_ms", Stats.Ms(wall)),
                ("p50_ms", Stats.Ms(Stats.Percentile(latencies, 50))), ("p99_ms", Stats.Ms(Stats.Percentile(latencies, 99))),
                ("statuses", Stats.Statuses(answers)));
        }

        /// <summary>
        /// Runs this tool's own request path for <paramref name="seconds"/> on <paramref name="uri"/> (a health check,
        /// which touches no cache), then waits for its recompilation: a fresh process compiles its hot methods again, at
        /// each tier, during its first seconds of load, and a miss run is over in one second, on the cores the API needs.
        /// </summary>
        private static async Task WarmUpAsync(HttpClient http, Uri uri, int concurrency, int seconds)
        {
            if (seconds <= 0)
            {
                return;
            }

            var until = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < until)
                {
                    await Ask.OnceAsync(http, uri, CancellationToken.None);
                }
            }));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>
    /// Closed-loop load over hot pairs and replicas, for a bounded time, reading every answer's stale flag. Each of
    /// <c>--concurrency</c> workers sends its next request when the previous one is answered (keep-alive connections).
    /// Faults are injected by the caller, which writes "name unix-ms" lines to the events file; at the end the answers
    /// after each event (up to the next) are summarised, and each event whose name ends in "_up" gets a recovery time: from the
    /// event to the last answer after it that was stale or failed.
    /// Per pair, the tool remembers when it first got a 200, and counts 5xx answers to requests sent after that (a pair
    /// that has had a price should never fail again); and it summarises the 10 % most-asked pairs on their own.
    /// </summary>
    internal static class Load
    {
        public static async Task<string> RunAsync(Options options)
        {
            var urls = options.Urls();
            var pairs = PairSet.From(options);
            var duration = TimeSpan.FromSeconds(options.Int("duration"));
            var warmup = options.Int("warmup", 0);
            var steady = options.Int("steady", warmup);
            var concurrency = options.Int("concurrency");
            var seed = options.Int("seed", 1);
            using var client = new Client(concurrency, TimeSpan.FromSeconds(options.Int("timeout", 5)));
            await client.PreOpenAsync(urls, Math.Max(1, concurrency / urls.Length));

            // uris[pair * replicas + replica]
            var uris = Enumerable.Range(0, pairs.Count * urls.Length)
                .Select(i => (Pair: pairs.Pairs[i / urls.Length], Url: urls[i % urls.Length]))
                .Select(p => new Uri($"{p.Url}/price?coin={p.Pair.Coin}&currency={p.Pair.Currency}")).ToArray();
            var next = -1L;
            using var stop = new CancellationTokenSource(duration);
            var startUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var perWorker = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
            {
                var random = new Random(seed * 7919 + worker);
                var mine = new List<Answer>(4096);
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref next);
                    // Replicas in turn. Round robin: request n asks pair n % pairs of replica n % replicas, so that every replica
                    // sees every pair (when the counts are coprime, as 200 and 3); random picks: the pair drawn.
                    var pair = pairs.Pick == "roundrobin" ? (int)(n % pairs.Count) : pairs.Next(random);
                    var replica = (int)(n % urls.Length);
                    // Each closed-loop worker is one client of the service, as the keep-alive clients of a real deployment.
                    var answer = await Ask.OnceAsync(client.Http, uris[pair * urls.Length + replica], CancellationToken.None, $"bench-client-{worker}");
                    mine.Add(answer with { Pair = pair });
                }

                return mine;
            }));
            var answers = perWorker.SelectMany(a => a).OrderBy(a => a.EndUnixMs).ToList();
            var endUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var warmFrom = startUnixMs + (warmup * 1000L);
            var top = MostAsked(answers, pairs.Count);

            var events = ReadEvents(options.String("events", ""));
            if (options.String("timeline", "") is { Length: > 0 } timeline)
            {
                await WriteTimelineAsync(timeline, answers, startUnixMs, events, top);
            }

            if (options.String("answers", "") is { Length: > 0 } answersFile)
            {
                await WriteAnswersAsync(answersFile, answers, pairs);
            }

            var output = new System.Text.StringBuilder();
            output.Append(Stats.Lines(("start_unix_ms", startUnixMs), ("end_unix_ms", endUnixMs), ("pairs", pairs.Describe), ("warmup_seconds", warmup)));
            output.Append(Stats.Summary("total", answers, (endUnixMs - startUnixMs) / 1000.0));
            output.Append(Stats.Lines(("connections", client.Connections)));
            var warm = answers.Where(a => a.EndUnixMs >= warmFrom).ToList();
            output.Append(Stats.Summary("warm", warm, Math.Max(0, endUnixMs - warmFrom) / 1000.0));

            output.Append(PairFigures(answers, pairs.Count));
            var topAnswers = answers.Where(a => top.Contains(a.Pair)).ToList();
            output.Append(Stats.Lines(
                ("top10.pairs", top.Count),
                ("top10.share_of_asks", (answers.Count == 0 ? 0 : (double)topAnswers.Count / answers.Count).ToString("F4", CultureInfo.InvariantCulture))));
            output.Append(Stats.Summary("warm.top10", topAnswers.Where(a => a.EndUnixMs >= warmFrom).ToList(), Math.Max(0, endUnixMs - warmFrom) / 1000.0));
            var steadyFrom = startUnixMs + (steady * 1000L);
            output.Append(Stats.Summary("steady", answers.Where(a => a.EndUnixMs >= steadyFrom).ToList(), Math.Max(0, endUnixMs - steadyFrom) / 1000.0));
            output.Append(Stats.Summary("steady.top10", topAnswers.Where(a => a.EndUnixMs >= steadyFrom).ToList(), Math.Max(0, endUnixMs - steadyFrom) / 1000.0));

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

        /// <summary>The 10 % most-asked pairs of the set (at least one), by the number of answers each got in the run.</summary>
        private static HashSet<int> MostAsked(List<Answer> answers, int pairCount) =>
            answers.GroupBy(a => a.Pair).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .Take(Math.Max(1, (int)Math.Ceiling(pairCount * 0.1))).Select(g => g.Key).ToHashSet();

        /// <summary>
        /// Pairs asked, pairs that got a 200, and 5xx answers to requests sent after their pair's first 200 had been
        /// received (by any replica): once a pair has had a price, the service has something to answer with.
        /// </summary>
        private static string PairFigures(List<Answer> answers, int pairCount)
        {
            var first200 = new long[pairCount];
            Array.Fill(first200, long.MaxValue);
            foreach (var a in answers.Where(a => a.Status == 200 && a.EndUnixMs < first200[a.Pair]))
            {
                first200[a.Pair] = a.EndUnixMs;
            }

            var after = answers.Where(a => a.Status >= 500 && a.StartUnixMs > first200[a.Pair]).ToList();
            return Stats.Lines(
                ("pairs.asked", answers.Select(a => a.Pair).Distinct().Count()),
                ("pairs.with_200", first200.Count(t => t != long.MaxValue)),
                ("pairs.5xx_after_200", after.Count),
                ("pairs.with_5xx_after_200", after.Select(a => a.Pair).Distinct().Count()));
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

        /// <summary>
        /// One line per second: requests, fresh, stale, failed (any non-200), p99 and max latency; failed split into 4xx, 5xx
        /// and no answer (timeout, connection error); the answers and fresh answers of the 10 % most-asked pairs; and the
        /// events in their second.
        /// </summary>
        private static async Task WriteTimelineAsync(string path, List<Answer> answers, long startUnixMs, List<(string Name, long At)> events, HashSet<int> top)
        {
            var lines = new List<string> { "second,requests,fresh,stale,failed,p99_ms,max_ms,status_4xx,status_5xx,no_answer,top10_requests,top10_fresh,events" };
            foreach (var second in answers.GroupBy(a => (a.EndUnixMs - startUnixMs) / 1000).OrderBy(g => g.Key))
            {
                var latencies = second.Select(a => a.LatencyMs).Order().ToList();
                var names = events.Where(e => (e.At - startUnixMs) / 1000 == second.Key).Select(e => e.Name);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{second.Key},{latencies.Count},{second.Count(a => a.Outcome == Outcome.Fresh)},{second.Count(a => a.Outcome == Outcome.Stale)}," +
                    $"{second.Count(a => a.Outcome == Outcome.Failed)},{Stats.Ms(Stats.Percentile(latencies, 99))},{Stats.Ms(latencies[^1])}," +
                    $"{second.Count(a => a.Status is >= 400 and < 500)},{second.Count(a => a.Status >= 500)},{second.Count(a => a.Status == 0)}," +
                    $"{second.Count(a => top.Contains(a.Pair))},{second.Count(a => top.Contains(a.Pair) && a.Outcome == Outcome.Fresh)},{string.Join(' ', names)}"));
            }

            await File.WriteAllLinesAsync(path, lines);
        }

        /// <summary>Every answer, in the order received: end time (UTC ms), latency, pair, status and stale flag.</summary>
        private static async Task WriteAnswersAsync(string path, List<Answer> answers, PairSet pairs)
        {
            await using var writer = new StreamWriter(path);
            await writer.WriteLineAsync("end_unix_ms,latency_ms,coin,currency,status,stale");
            foreach (var a in answers)
            {
                var (coin, currency) = pairs.Pairs[a.Pair];
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{a.EndUnixMs},{Stats.Ms(a.LatencyMs)},{coin},{currency},{a.Status},{(a.Outcome == Outcome.Stale ? 1 : 0)}"));
            }
        }
    }
}
