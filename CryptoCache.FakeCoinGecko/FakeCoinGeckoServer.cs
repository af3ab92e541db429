using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CryptoCache.FakeCoinGecko;

/// <summary>
/// A stand-in for CoinGecko v3 on loopback, speaking real HTTP in CoinGecko's shapes (fixtures copied from
/// shared/coingecko). It counts calls per endpoint and the ids asked for, and can add latency, fail, rate-limit,
/// hang or send a malformed body. Known coins: those of coins-list.json, and any id of the form <c>coin-N</c>
/// (for load tests); every other id is unknown and, as with CoinGecko, simply absent from the answer.
/// </summary>
public sealed partial class FakeCoinGeckoServer : IAsyncDisposable
{
    private static readonly string[] FixtureCoins = ReadFixture("coins-list.json").AsArray().Select(c => c!["id"]!.GetValue<string>()).ToArray();
    private static readonly HashSet<string> Currencies = ReadFixture("supported-vs-currencies.json").AsArray().Select(c => c!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    private static readonly JsonObject FixturePrices = ReadFixture("simple-price.json").AsObject();
    private static readonly string RateLimitedBody = ReadFixtureText("rate-limited-429.json");

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string[]> _priceRequests = new();
    private int _priceCalls;
    private int _currencyCalls;
    private int _pingCalls;

    private FakeCoinGeckoServer(WebApplication app) => _app = app;

    /// <summary>Base URL ending in <c>/api/v3/</c>, as CoinGecko's.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public FakeMode Mode { get; set; } = FakeMode.Normal;

    /// <summary>Added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Retry-After sent with 429s in <see cref="FakeMode.RateLimited"/>.</summary>
    public int RetryAfterSeconds { get; set; } = 30;

    /// <summary>Bumped to make every price change, so a refetch can be told from a cached answer.</summary>
    public int PriceVersion { get; set; }

    public int PriceCalls => Volatile.Read(ref _priceCalls);

    public int CurrencyCalls => Volatile.Read(ref _currencyCalls);

    public int TotalCalls => PriceCalls + CurrencyCalls + Volatile.Read(ref _pingCalls);

    /// <summary>The ids of every <c>/simple/price</c> call, in order.</summary>
    public IReadOnlyList<string[]> PriceRequests => _priceRequests.ToArray();

    /// <summary>Starts on 127.0.0.1 on the given port (0: a free one chosen now).</summary>
    public static async Task<FakeCoinGeckoServer> StartAsync(int port = 0, bool withControlEndpoints = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeCoinGeckoServer(app);
        server.Map(app, withControlEndpoints);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/api/v3/");
        return server;
    }

    public static bool IsKnownCoin(string id) =>
        FixtureCoins.Contains(id, StringComparer.Ordinal)
        || (id.StartsWith("coin-", StringComparison.Ordinal) && id.Length > 5 && id[5..].All(char.IsAsciiDigit));

    public static bool IsSupportedCurrency(string currency) => Currencies.Contains(currency);

    /// <summary>The price the fake gives for a pair now: the fixture's where it has one, otherwise derived from the names.</summary>
    public decimal PriceOf(string coin, string currency)
    {
        var basePrice = FixturePrices[coin]?[currency] is { } fixture
            ? fixture.GetValue<decimal>()
            : 1 + (StableHash(coin + "/" + currency) % 10_000_000) / 100m;
        return basePrice + PriceVersion;
    }

    public void Reset()
    {
        Mode = FakeMode.Normal;
        Latency = TimeSpan.Zero;
        RetryAfterSeconds = 30;
        _priceRequests.Clear();
        Interlocked.Exchange(ref _priceCalls, 0);
        Interlocked.Exchange(ref _currencyCalls, 0);
        Interlocked.Exchange(ref _pingCalls, 0);
        ResetV3Additions();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Map(WebApplication app, bool withControlEndpoints)
    {
        app.MapGet("/api/v3/simple/price", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _priceCalls);
            var ids = Split(http.Request.Query["ids"]);
            _priceRequests.Enqueue(ids);
            return await AnswerAsync(http, () => Prices(ids, Split(http.Request.Query["vs_currencies"]),
                string.Equals(http.Request.Query["include_last_updated_at"], "true", StringComparison.Ordinal))).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/simple/supported_vs_currencies", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _currencyCalls);
            return await AnswerAsync(http, () => ReadFixtureText("supported-vs-currencies.json")).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/ping", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _pingCalls);
            return await AnswerAsync(http, () => """{"gecko_says":"(V3) To the Moon!"}""").ConfigureAwait(false);
        });

        MapV3Additions(app);

        if (withControlEndpoints)
        {
            // For a fake run as its own process (benchmark, TypeScript client tests).
            app.MapGet("/__fake/stats", () => Results.Json(new { priceCalls = PriceCalls, currencyCalls = CurrencyCalls, priceRequests = PriceRequests.Count }));
            app.MapPost("/__fake/reset", () =>
            {
                Reset();
                return Results.NoContent();
            });
            app.MapPost("/__fake/mode", (string? mode, int? latencyMs, int? retryAfterSeconds, int? priceVersion) =>
            {
                if (mode is not null)
                {
                    Mode = Enum.Parse<FakeMode>(mode, ignoreCase: true);
                }

                Latency = latencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Latency;
                RetryAfterSeconds = retryAfterSeconds ?? RetryAfterSeconds;
                PriceVersion = priceVersion ?? PriceVersion;
                return Results.NoContent();
            });
        }
    }

    private async Task<IResult> AnswerAsync(HttpContext http, Func<string> body)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, http.RequestAborted).ConfigureAwait(false);
        }

        switch (Mode)
        {
            case FakeMode.ServerError:
                return Results.Text("""{"error":"Internal server error"}""", "application/json", Encoding.UTF8, StatusCodes.Status500InternalServerError);
            case FakeMode.RateLimited:
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return Results.Text(RateLimitedBody, "application/json", Encoding.UTF8, StatusCodes.Status429TooManyRequests);
            case FakeMode.RateLimitedWithoutRetryAfter:
                return Results.Text(RateLimitedBody, "application/json", Encoding.UTF8, StatusCodes.Status429TooManyRequests);
            case FakeMode.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted).ConfigureAwait(false);
                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
            case FakeMode.Malformed:
                return Results.Text("<html>upstream error</html>", "application/json", Encoding.UTF8);
            default:
                return Results.Text(body(), "application/json", Encoding.UTF8);
        }
    }

    private string Prices(string[] ids, string[] currencies, bool includeLastUpdated)
    {
        var root = new JsonObject();
        foreach (var id in ids.Where(IsKnownCoin).Distinct())
        {
            var fields = new JsonObject();
            foreach (var currency in currencies.Where(IsSupportedCurrency).Distinct())
            {
                fields[currency] = PriceOf(id, currency);
                fields[currency + "_24h_change"] = null;
            }

            if (includeLastUpdated && fields.Count > 0)
            {
                fields["last_updated_at"] = FixturePrices[id]?["last_updated_at"]?.GetValue<long>() ?? 1_711_356_300;
            }

            root[id] = fields;
        }

        return root.ToJsonString();
    }

    private static string[] Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static long StableHash(string text)
    {
        long hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c) & long.MaxValue;
        }

        return hash;
    }

    private static JsonNode ReadFixture(string name) => JsonNode.Parse(ReadFixtureText(name))!;

    private static string ReadFixtureText(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Fixture {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
