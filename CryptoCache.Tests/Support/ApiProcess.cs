using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CryptoCache.Tests.Support;

/// <summary>
/// The real API, started as its own process from its build output (Kestrel on a loopback port), as a container
/// would start it. Its console output is kept for assertions on logs.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, int port, int managementPort)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        Management = managementPort > 0
            ? new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/"), Timeout = TimeSpan.FromSeconds(30) }
            : null;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private int _disposed;

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>The management port's client, when the API was started with <c>withManagement</c>.</summary>
    public HttpClient? Management { get; }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the API with this environment and waits until it says it listens on its own port and <c>/health</c>
    /// answers. A free port is only free when chosen: another process may take it first, so that case is retried.
    /// </summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, string? dll = null, bool withManagement = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var api = Launch(environment, dll, withManagement);
            if (await api.WaitUntilListeningAsync())
            {
                return api;
            }

            var output = api.Output;
            var exitCode = api.HasExited ? api.ExitCode : (int?)null;
            await api.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"The API did not come up on its own port in 3 attempts (last exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}):\n{output}");
            }
        }
    }

    /// <summary>
    /// Starts a published API the way its container image does: <c>dotnet CryptoCache.Api.dll</c> in the publish folder and
    /// no arguments, so the environment alone (ASPNETCORE_URLS, Management__Port) decides where it listens; <paramref name="port"/>
    /// and <paramref name="managementPort"/> say where that is. Waits until it listens there and <c>/health</c> answers.
    /// </summary>
    public static async Task<ApiProcess> StartLikeImageAsync(IReadOnlyDictionary<string, string?> environment, string dll, int port, int managementPort)
    {
        var api = Launch(environment, dll, withManagement: true, image: (port, managementPort));
        if (await api.WaitUntilListeningAsync())
        {
            return api;
        }

        var output = api.Output;
        await api.DisposeAsync();
        throw new InvalidOperationException($"The published API did not come up on port {port}:\n{output}");
    }

    /// <summary>Starts a published API the way its container image does and waits for it to exit, for configuration errors.</summary>
    public static async Task<ApiProcess> RunLikeImageToExitAsync(IReadOnlyDictionary<string, string?> environment, string dll, TimeSpan timeout) =>
        await WaitForExitAsync(Launch(environment, dll, withManagement: false, image: (0, 0)), timeout).ConfigureAwait(false);

    /// <summary>Starts the API and waits for it to exit, for configuration errors.</summary>
    public static async Task<ApiProcess> RunToExitAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan timeout) =>
        await WaitForExitAsync(Launch(environment, null, withManagement: false), timeout).ConfigureAwait(false);

    private static async Task<ApiProcess> WaitForExitAsync(ApiProcess api, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await api._process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        api._process.WaitForExit(); // drains the output readers
        return api;
    }

    public async Task<HttpResponseMessage> GetAsync(string relative) =>
        await Http.GetAsync(new Uri(relative, UriKind.Relative)).ConfigureAwait(false);

    public async Task<JsonObject> GetJsonAsync(string relative)
    {
        using var response = await GetAsync(relative).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.That(response.IsSuccessStatusCode, Is.True, $"GET {relative} → {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // a test may stop a replica before its stack stops the rest
        }

        Http.Dispose();
        Management?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    // image null: the build output with --urls on a free port. Set: as the image starts it, no arguments, from the dll's
    // folder; the environment must make it listen on those ports.
    private static ApiProcess Launch(IReadOnlyDictionary<string, string?> environment, string? dll, bool withManagement, (int Public, int Management)? image = null)
    {
        var port = image?.Public ?? FreePort.Next();
        var managementPort = image?.Management ?? (withManagement ? FreePort.Next() : 0);
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll ?? RepoPaths.ApiDll);
        if (image is null)
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port}");
        }
        else
        {
            start.WorkingDirectory = Path.GetDirectoryName(dll);
        }

        // A clean slate: nothing from the developer's shell may change what the API reads.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                     || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)
                     || k is "REDIS_URL" or "CACHE_TTL_SECONDS" or "DEFAULT_COIN" or "DEFAULT_CURRENCY").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["Management__Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ApiProcess(Process.Start(start)!, port, managementPort);
    }

    private async Task<bool> WaitUntilListeningAsync()
    {
        var address = $"127.0.0.1:{Port}";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !HasExited)
        {
            if (_output.Any(line => line.Contains("Now listening on", StringComparison.Ordinal) && line.Contains(address, StringComparison.Ordinal)))
            {
                try
                {
                    using var response = await Http.GetAsync(new Uri("health", UriKind.Relative)).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return true;
                    }
                }
                catch (HttpRequestException)
                {
                }
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return false;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
