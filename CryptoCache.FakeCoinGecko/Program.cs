using System.Globalization;
using CryptoCache.FakeCoinGecko;

// Run on its own (benchmark, TypeScript client tests): dotnet CryptoCache.FakeCoinGecko.dll [port]
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;
await using var server = await FakeCoinGeckoServer.StartAsync(port, withControlEndpoints: true);
Console.WriteLine($"Fake CoinGecko listening on {server.BaseUrl}");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await stop.Task;
