using System.Diagnostics;
using System.Text.RegularExpressions;
using CryptoCache.Tests.Deploy;

namespace CryptoCache.Tests.Fake;

/// <summary>The fake run as its own process, as the benchmark and the client suites run it.</summary>
public sealed partial class FakeProcessTests
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(3);

    [TestCase("-TERM")]
    [TestCase("-INT")]
    public async Task Program_Signal_ExitsWithinThreeSeconds(string signal)
    {
        var kill = Tool.Find("kill", "/bin/kill", "/usr/bin/kill");
        if (kill is null)
        {
            Assert.Ignore("no kill executable to send a signal with");
        }

        using var process = StartFake();
        try
        {
            var baseUrl = await ReadBaseUrlAsync(process);
            using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                var ping = await client.GetStringAsync(new Uri(baseUrl, "ping"));
                Assert.That(ping, Does.Contain("To the Moon"), "the fake answers before the signal");
            }

            var sent = Stopwatch.StartNew();
            var result = await Tool.RunAsync(kill, [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], AppContext.BaseDirectory, TimeSpan.FromSeconds(10));
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            using var bound = new CancellationTokenSource(ExitBound);
            var exited = await process.WaitForExitAsync(bound.Token).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

            Assert.Multiple(() =>
            {
                Assert.That(exited, Is.True, $"still running {ExitBound.TotalSeconds} s after kill {signal}");
                Assert.That(process.HasExited && process.ExitCode == 0, Is.True, "a clean exit, not death by the signal");
                Assert.That(sent.Elapsed, Is.LessThan(ExitBound));
            });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static Process StartFake()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CryptoCache.FakeCoinGecko.dll"));
        start.ArgumentList.Add("0");
        return Process.Start(start)!;
    }

    /// <summary>Port 0: the fake names the port it was given on its first line of stdout.</summary>
    private static async Task<Uri> ReadBaseUrlAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? string.Empty;
        var match = ListeningLine().Match(line);
        Assert.That(match.Success, Is.True, $"first line: {line}; stderr: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : string.Empty)}");
        return new Uri(match.Groups["url"].Value);
    }

    [GeneratedRegex(@"listening on (?<url>http://127\.0\.0\.1:\d+/api/v3/)")]
    private static partial Regex ListeningLine();
}
