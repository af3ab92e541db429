using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CryptoCache.FakeCoinGecko;

/// <summary>
/// A stand-in for CoinGecko v3 on loopback, speaking real HTTP in CoinGecko's shapes (fixtures copied from
/// shared/coingecko, plus the fake's own Data/extra-coins.json). It counts calls per endpoint, the ids asked for and
/// the time of every call, and can add latency, fail, rate-limit, hang or send a malformed body.
/// </summary>
/// <remarks>
/// <para>Known coins: those of <see cref="ListedCoins"/> (the fixture's and the extras), and any id of the form
/// <c>coin-N</c> (for load tests, not listed); every other id is unknown and, as with CoinGecko, simply absent.
/// Known tokens: the contract addresses in <see cref="ListedCoins"/>' platforms, and on any of
/// <see cref="KnownPlatforms"/> every address <c>0x</c> + 40 hex digits ending in <c>0000</c> (for load tests).</para>
/// <para>Every number is deterministic: <see cref="PriceOf"/>, <see cref="MarketCapOf"/>, <see cref="Volume24hOf"/>,
/// <see cref="Change24hOf"/>, <see cref="LastUpdatedAtOf"/>. With <c>precision=N</c> (0..18) the price and the
/// market cap, volume and change are each rounded to N decimal places by <see cref="decimal.Round(decimal, int, MidpointRounding)"/>
/// with <see cref="MidpointRounding.AwayFromZero"/> (2.5 → 3, -2.5 → -3); with <c>precision=full</c> or without
/// <c>precision</c> they are given as stored.</para>
/// </remarks>
public sealed class FakeCoinGeckoServer : IAsyncDisposable
{
    /// <summary>CoinGecko's cap on symbols per call with <c>include_tokens=all</c>.</summary>
    public const int MaxSymbolsWithAllTokens = 50;

    /// <summary><c>last_updated_at</c> of every coin the fixture gives none for (unix seconds).</summary>
    public const long DefaultLastUpdatedAt = 1_711_356_300;

    private static readonly string RateLimitedBody = FakeCatalog.ReadResourceText("rate-limited-429.json");
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
    private static readonly string CurrenciesBody = FakeCatalog.ReadResourceText("supported-vs-currencies.json");

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string[]> _priceRequests = new();
    private readonly ConcurrentQueue<long> _callTimes = new();
    private int _priceCalls;
    private int _currencyCalls;
    private int _pingCalls;
    private int _tokenPriceCalls;
    private int _coinsListCalls;

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

    /// <summary>Calls to <c>/simple/price</c>.</summary>
    public int PriceCalls => Volatile.Read(ref _priceCalls);

    /// <summary>Calls to <c>/simple/supported_vs_currencies</c>.</summary>
    public int CurrencyCalls => Volatile.Read(ref _currencyCalls);

    /// <summary>Calls to <c>/ping</c>.</summary>
    public int PingCalls => Volatile.Read(ref _pingCalls);

    /// <summary>Calls to <c>/simple/token_price/{platform}</c>.</summary>
    public int TokenPriceCalls => Volatile.Read(ref _tokenPriceCalls);

    /// <summary>Calls to <c>/coins/list</c>.</summary>
    public int CoinsListCalls => Volatile.Read(ref _coinsListCalls);

    /// <summary>Calls to every CoinGecko endpoint (not the <c>/__fake</c> control endpoints).</summary>
    public int TotalCalls => PriceCalls + CurrencyCalls + PingCalls + TokenPriceCalls + CoinsListCalls;

    /// <summary>
    /// The coins of every <c>/simple/price</c> call, in order: the <c>ids</c> as asked (unknown ones included), or
    /// the ids that <c>names</c> or <c>symbols</c> resolved to.
    /// </summary>
    public IReadOnlyList<string[]> PriceRequests => _priceRequests.ToArray();

    /// <summary>When each call to a CoinGecko endpoint arrived, unix milliseconds (UTC), in arrival order.</summary>
    public IReadOnlyList<long> CallTimes => _callTimes.ToArray();

    /// <summary>The coins of <c>/coins/list</c>: the shared fixture's, then the fake's own extras.</summary>
    public static IReadOnlyList<FakeCoin> ListedCoins => FakeCatalog.Coins;

    /// <summary>Asset platforms <c>/simple/token_price/{platform}</c> knows; any other answers 404.</summary>
    public static IReadOnlySet<string> KnownPlatforms => FakeCatalog.Platforms;

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

    public static bool IsKnownCoin(string id) => FakeCatalog.Find(id) is not null || IsLoadTestCoin(id);

    public static bool IsSupportedCurrency(string currency) => FakeCatalog.Currencies.Contains(currency);

    /// <summary>
    /// Whether <paramref name="contractAddress"/> (any case) is a token on <paramref name="platform"/>: listed in a
    /// coin's platforms, or (load tests) <c>0x</c> + 40 hex digits ending in <c>0000</c> on a known platform.
    /// </summary>
    public static bool IsKnownToken(string platform, string contractAddress) => TokenAsset(platform, contractAddress.ToLowerInvariant()) is not null;

    /// <summary>The price the fake gives for a pair now: the fixture's where it has one, otherwise derived from the names.</summary>
    public decimal PriceOf(string coin, string currency)
    {
        var basePrice = Fixture(coin, currency) ?? 1 + (StableHash(coin + "/" + currency) % 10_000_000) / 100m;
        return basePrice + PriceVersion;
    }

    /// <summary>
    /// Market cap now: the fixture's, scaled by how far <see cref="PriceOf"/> moved from the fixture's price, where it
    /// has one; otherwise price × circulating supply (the extras' supply, or one derived from the id), to the cent.
    /// </summary>
    public decimal MarketCapOf(string coin, string currency) =>
        FixtureScaled(coin, currency, "_market_cap") ?? decimal.Round(PriceOf(coin, currency) * SupplyOf(coin), 2, MidpointRounding.AwayFromZero);

    /// <summary>24-hour volume now: the fixture's (scaled as the market cap) or 0.1 % to 20 % of the market cap, to the cent.</summary>
    public decimal Volume24hOf(string coin, string currency) =>
        FixtureScaled(coin, currency, "_24h_vol")
        ?? decimal.Round(MarketCapOf(coin, currency) * (100 + StableHash(coin + "/" + currency + "#vol") % 19_900) / 100_000m, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// 24-hour change in percent, between -15 and 15 with 8 decimals; independent of <see cref="PriceVersion"/>. The
    /// fixture's value where it has the field (null included, as ethereum/usd); never null for a listed coin otherwise;
    /// null for one pair in twenty of the unlisted (<c>coin-N</c>, load-test tokens), as CoinGecko sometimes sends.
    /// </summary>
    public static decimal? Change24hOf(string coin, string currency)
    {
        if (FakeCatalog.FixturePrices[coin] is JsonObject fixture && fixture.TryGetPropertyValue(currency + "_24h_change", out var change))
        {
            return change?.GetValue<decimal>();
        }

        var hash = StableHash(coin + "/" + currency + "#change");
        if (FakeCatalog.Find(coin) is null && hash % 20 == 0)
        {
            return null;
        }

        return ((long)(hash % 3_000_000_000) - 1_500_000_000) / 100_000_000m;
    }

    /// <summary><c>last_updated_at</c> (unix seconds): the fixture's, otherwise <see cref="DefaultLastUpdatedAt"/>.</summary>
    public static long LastUpdatedAtOf(string coin) =>
        FakeCatalog.FixturePrices[coin]?["last_updated_at"]?.GetValue<long>() ?? DefaultLastUpdatedAt;

    /// <summary>The most calls that arrived within any <paramref name="window"/> (e.g. 60 s, for a per-minute budget).</summary>
    public int MaxCallsInWindow(TimeSpan window)
    {
        var times = CallTimes.Order().ToArray();
        var best = 0;
        var first = 0;
        for (var last = 0; last < times.Length; last++)
        {
            while (times[last] - times[first] >= (long)window.TotalMilliseconds)
            {
                first++;
            }

            best = Math.Max(best, last - first + 1);
        }

        return best;
    }

    public void Reset()
    {
        Mode = FakeMode.Normal;
        Latency = TimeSpan.Zero;
        RetryAfterSeconds = 30;
        _priceRequests.Clear();
        _callTimes.Clear();
        Interlocked.Exchange(ref _priceCalls, 0);
        Interlocked.Exchange(ref _currencyCalls, 0);
        Interlocked.Exchange(ref _pingCalls, 0);
        Interlocked.Exchange(ref _tokenPriceCalls, 0);
        Interlocked.Exchange(ref _coinsListCalls, 0);
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
            Count(ref _priceCalls);
            return await AnswerAsync(http, () => SimplePrice(http.Request.Query)).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/simple/token_price/{platform}", async (HttpContext http, string platform) =>
        {
            Count(ref _tokenPriceCalls);
            return await AnswerAsync(http, () => TokenPrice(platform, http.Request.Query)).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/simple/supported_vs_currencies", async (HttpContext http) =>
        {
            Count(ref _currencyCalls);
            return await AnswerAsync(http, () => Json(CurrenciesBody)).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/coins/list", async (HttpContext http) =>
        {
            Count(ref _coinsListCalls);
            return await AnswerAsync(http, () => CoinsList(IsTrue(http.Request.Query["include_platform"]))).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/ping", async (HttpContext http) =>
        {
            Count(ref _pingCalls);
            return await AnswerAsync(http, () => Json("""{"gecko_says":"(V3) To the Moon!"}""")).ConfigureAwait(false);
        });

        if (withControlEndpoints)
        {
            // For a fake run as its own process (benchmark, TypeScript and SDK client tests).
            app.MapGet("/__fake/stats", () => Results.Json(new
            {
                priceCalls = PriceCalls,
                currencyCalls = CurrencyCalls,
                pingCalls = PingCalls,
                tokenPriceCalls = TokenPriceCalls,
                coinsListCalls = CoinsListCalls,
                totalCalls = TotalCalls,
                priceRequests = PriceRequests.Count,
                maxCallsPer60s = MaxCallsInWindow(TimeSpan.FromSeconds(60)),
                callTimes = CallTimes,
            }));
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

    private void Count(ref int counter)
    {
        Interlocked.Increment(ref counter);
        _callTimes.Enqueue(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    private async Task<IResult> AnswerAsync(HttpContext http, Func<IResult> answer)
    {
        // Hang and latency end when the client gives up or the fake stops (SIGTERM must not wait for them).
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _app.Lifetime.ApplicationStopping);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, aborted.Token).ConfigureAwait(false);
        }

        switch (Mode)
        {
            case FakeMode.ServerError:
                return Json("""{"error":"Internal server error"}""", StatusCodes.Status500InternalServerError);
            case FakeMode.RateLimited:
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return Json(RateLimitedBody, StatusCodes.Status429TooManyRequests);
            case FakeMode.RateLimitedWithoutRetryAfter:
                return Json(RateLimitedBody, StatusCodes.Status429TooManyRequests);
            case FakeMode.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted.Token).ConfigureAwait(false);
                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
            case FakeMode.Malformed:
                return Json("<html>upstream error</html>");
            default:
                return answer();
        }
    }

    /// <summary>ids win over names, names over symbols; a coin named twice is answered once.</summary>
    private IResult SimplePrice(IQueryCollection query)
    {
        var ids = Split(query["ids"]);
        var names = Split(query["names"]);
        var symbols = Split(query["symbols"]);
        string[] coins;
        if (ids.Length > 0 || (names.Length == 0 && symbols.Length == 0))
        {
            _priceRequests.Enqueue(ids);
            coins = ids.Where(IsKnownCoin).Distinct(StringComparer.Ordinal).ToArray();
        }
        else if (names.Length > 0)
        {
            coins = names.SelectMany(FakeCatalog.WithName).Select(c => c.Id).Distinct(StringComparer.Ordinal).ToArray();
            _priceRequests.Enqueue(coins);
        }
        else
        {
            var all = string.Equals(query["include_tokens"], "all", StringComparison.OrdinalIgnoreCase);
            var distinctSymbols = symbols.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (all && distinctSymbols.Length > MaxSymbolsWithAllTokens)
            {
                return Error(StatusCodes.Status400BadRequest, $"Maximum {MaxSymbolsWithAllTokens} symbols allowed with include_tokens=all");
            }

            coins = distinctSymbols
                .SelectMany(symbol => all ? FakeCatalog.WithSymbol(symbol) : FakeCatalog.WithSymbol(symbol).OrderByDescending(c => MarketCapOf(c.Id, "usd")).ThenBy(c => c.Id, StringComparer.Ordinal).Take(1))
                .Select(c => c.Id)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            _priceRequests.Enqueue(coins);
        }

        if (!TryReadQuoteOptions(query, out var options, out var error))
        {
            return error;
        }

        var root = new JsonObject();
        foreach (var coin in coins)
        {
            root[coin] = Quote(coin, options);
        }

        return Json(root.ToJsonString());
    }

    private IResult TokenPrice(string platform, IQueryCollection query)
    {
        if (!FakeCatalog.Platforms.Contains(platform))
        {
            return Error(StatusCodes.Status404NotFound, "asset platform not found");
        }

        var addresses = Split(query["contract_addresses"]);
        if (addresses.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "Missing parameter contract_addresses");
        }

        if (!TryReadQuoteOptions(query, out var options, out var error))
        {
            return error;
        }

        var root = new JsonObject();
        foreach (var address in addresses.Select(a => a.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            if (TokenAsset(platform, address) is { } asset)
            {
                root[address] = Quote(asset, options);
            }
        }

        return Json(root.ToJsonString());
    }

    private static IResult CoinsList(bool includePlatform)
    {
        var list = new JsonArray();
        foreach (var coin in FakeCatalog.Coins)
        {
            var item = new JsonObject { ["id"] = coin.Id, ["symbol"] = coin.Symbol, ["name"] = coin.Name };
            if (includePlatform)
            {
                item["platforms"] = new JsonObject(coin.Platforms.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            }

            list.Add(item);
        }

        return Json(list.ToJsonString());
    }

    /// <summary>One coin's (or token's) fields in CoinGecko's order: per currency the price and the asked extras, then last_updated_at.</summary>
    private JsonObject Quote(string asset, QuoteOptions options)
    {
        var fields = new JsonObject();
        foreach (var currency in options.Currencies)
        {
            fields[currency] = Round(PriceOf(asset, currency), options.Precision);
            if (options.MarketCap)
            {
                fields[currency + "_market_cap"] = Round(MarketCapOf(asset, currency), options.Precision);
            }

            if (options.Volume)
            {
                fields[currency + "_24h_vol"] = Round(Volume24hOf(asset, currency), options.Precision);
            }

            if (options.Change)
            {
                fields[currency + "_24h_change"] = Change24hOf(asset, currency) is { } change ? Round(change, options.Precision) : null;
            }
        }

        if (options.LastUpdatedAt && fields.Count > 0)
        {
            fields["last_updated_at"] = LastUpdatedAtOf(asset);
        }

        return fields;
    }

    private static bool TryReadQuoteOptions(IQueryCollection query, out QuoteOptions options, out IResult error)
    {
        options = null!;
        error = null!;
        var currencies = Split(query["vs_currencies"]);
        if (currencies.Length == 0)
        {
            error = Error(StatusCodes.Status400BadRequest, "Missing parameter vs_currencies");
            return false;
        }

        int? precision = null;
        var asked = ((string?)query["precision"])?.Trim();
        if (!string.IsNullOrEmpty(asked) && !string.Equals(asked, "full", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out var places) || places > 18)
            {
                error = Error(StatusCodes.Status400BadRequest, "Invalid parameter precision: full or 0 to 18");
                return false;
            }

            precision = places;
        }

        options = new QuoteOptions(
            currencies.Select(c => c.ToLowerInvariant()).Where(IsSupportedCurrency).Distinct(StringComparer.Ordinal).ToArray(),
            IsTrue(query["include_market_cap"]),
            IsTrue(query["include_24hr_vol"]),
            IsTrue(query["include_24hr_change"]),
            IsTrue(query["include_last_updated_at"]),
            precision);
        return true;
    }

    /// <summary>
    /// Rounds to <paramref name="precision"/> decimal places, midpoints away from zero (2.5 → 3, -2.5 → -3, 0.125 at 2
    /// places → 0.13); null precision (<c>full</c> or none asked) leaves the value as stored.
    /// </summary>
    private static decimal Round(decimal value, int? precision) =>
        WithoutTrailingZeros(precision is { } places ? decimal.Round(value, places, MidpointRounding.AwayFromZero) : value);

    /// <summary>Same value, written as CoinGecko writes numbers: 2095348200000000, not 2095348200000000.0.</summary>
    private static decimal WithoutTrailingZeros(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>The key prices are derived from: the listing coin's id, or <c>platform:address</c> for a load-test token.</summary>
    private static string? TokenAsset(string platform, string lowerCaseAddress)
    {
        if (!FakeCatalog.Platforms.Contains(platform))
        {
            return null;
        }

        if (FakeCatalog.WithContract(platform, lowerCaseAddress) is { } coin)
        {
            return coin.Id;
        }

        return lowerCaseAddress.Length == 42
            && lowerCaseAddress.StartsWith("0x", StringComparison.Ordinal)
            && !lowerCaseAddress.AsSpan(2).ContainsAnyExcept(LowerHex)
            && lowerCaseAddress.EndsWith("0000", StringComparison.Ordinal)
            ? platform + ":" + lowerCaseAddress
            : null;
    }

    private static bool IsLoadTestCoin(string id) =>
        id.StartsWith("coin-", StringComparison.Ordinal) && id.Length > 5 && id[5..].All(char.IsAsciiDigit);

    private decimal? FixtureScaled(string coin, string currency, string suffix)
    {
        if (Fixture(coin, currency + suffix) is not { } value || Fixture(coin, currency) is not { } fixturePrice)
        {
            return null;
        }

        return PriceVersion == 0
            ? value
            : decimal.Round(value * (PriceOf(coin, currency) / fixturePrice), 2, MidpointRounding.AwayFromZero);
    }

    private static decimal? Fixture(string coin, string field) =>
        FakeCatalog.FixturePrices[coin]?[field] is JsonValue value ? value.GetValue<decimal>() : null;

    private static decimal SupplyOf(string asset) =>
        FakeCatalog.Find(asset)?.Supply ?? 1_000_000 + StableHash(asset + "#supply") % 999_000_000;

    private static bool IsTrue(StringValues value) => string.Equals(((string?)value)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static IResult Json(string body, int status = StatusCodes.Status200OK) =>
        Results.Text(body, "application/json", Encoding.UTF8, status);

    private static IResult Error(int status, string message) =>
        Json(new JsonObject { ["error"] = message }.ToJsonString(), status);

    private static string[] Split(StringValues value) =>
        string.IsNullOrWhiteSpace(value) ? [] : ((string)value!).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static long StableHash(string text)
    {
        long hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c) & long.MaxValue;
        }

        return hash;
    }

    private sealed record QuoteOptions(string[] Currencies, bool MarketCap, bool Volume, bool Change, bool LastUpdatedAt, int? Precision);
}
