using System.Globalization;
using System.Runtime.InteropServices;
using CryptoCache.FakeCoinGecko;

// Run on its own (benchmark, client tests): dotnet CryptoCache.FakeCoinGecko.dll [port]; port 0 picks a free one,
// and the first line on stdout names the URL either way.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;
await using var server = await FakeCoinGeckoServer.StartAsync(port, withControlEndpoints: true);
Console.WriteLine($"Fake CoinGecko listening on {server.BaseUrl}");

// SIGTERM (kill, docker stop) and SIGINT (Ctrl+C) end the process at once: the handlers take the signal from the
// runtime's default handling, which would otherwise leave the process running until the host's own shutdown gave up.
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
await stop.Task;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
