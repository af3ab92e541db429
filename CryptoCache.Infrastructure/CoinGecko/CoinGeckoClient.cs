using System.Globalization;
using System.Net;
using System.Text.Json;
using CryptoCache.Application.Abstractions;
using CryptoCache.Application.Common.Exceptions;
using CryptoCache.Domain;
using CryptoCache.Infrastructure.Budget;
using CryptoCache.Infrastructure.Diagnostics;
using CryptoCache.Infrastructure.Health;
using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CryptoCache.Infrastructure.CoinGecko;

/// <summary>
/// CoinGecko v3 behind the provider port: <c>/simple/price</c> (always the full quote: every include flag,
/// <c>precision=full</c>, so one cached entry serves every view) and <c>/simple/supported_vs_currencies</c>, its id and
/// URL limits, and its budget. Failures become <see cref="ProviderUnavailableException"/>.
/// </summary>
internal sealed class CoinGeckoClient(
    IHttpClientFactory httpClientFactory,
    IProviderBudget budget,
    IOptions<ProviderLimitsOptions> limitsOptions,
    IOptions<CoinGeckoOptions> coinGeckoOptions,
    ProviderMetrics metrics,
    ProviderHealth health,
    TimeProvider time,
    ILogger<CoinGeckoClient> logger) : IPriceProvider
{
    public const string HttpClientName = "coingecko";
    public const string Source = "coingecko";

    /// <summary>Carries a call's purpose to <see cref="ProviderBudgetHandler"/>, which counts the budget spent by purpose.</summary>
    public static readonly HttpRequestOptionsKey<ProviderPurpose> PurposeKey = new("cryptocache.purpose");

    private static readonly TimeSpan UnknownRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>What every price call asks for besides ids and currencies: everything, at full precision.</summary>
    private const string FullQuote = "&include_market_cap=true&include_24hr_vol=true&include_24hr_change=true&include_last_updated_at=true&precision=full";

    private readonly ProviderLimitsOptions _limits = limitsOptions.Value;

    public int MaxIdsPerCall => _limits.MaxIdsPerCall;

    public bool IsFailing => health.Current is not null;

    public TimeSpan CallTimeout => TimeSpan.FromSeconds(coinGeckoOptions.Value.TimeoutSeconds);

    public ProviderBudget LastKnownBudget => new(budget.Limit, budget.LastKnownRemaining, Paused: false);

    public ValueTask<ProviderBudget> ReadBudgetAsync(CancellationToken cancellationToken) => budget.PeekAsync(cancellationToken);

    /// <summary>By count, and by the length the ids add to the URL (each joined by an escaped comma), to stay clear of HTTP 414.</summary>
    public IReadOnlyList<IReadOnlyList<CoinId>> Partition(IReadOnlyList<CoinId> coins) => Partition(coins, _limits);

    internal static IReadOnlyList<IReadOnlyList<CoinId>> Partition(IReadOnlyList<CoinId> coins, ProviderLimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(coins);
        ArgumentNullException.ThrowIfNull(limits);
        var chunks = new List<IReadOnlyList<CoinId>>();
        var chunk = new List<CoinId>();
        var length = 0;
        foreach (var coin in coins)
        {
            var added = coin.Value.Length + 3;
            if (chunk.Count > 0 && (chunk.Count >= limits.MaxIdsPerCall || length + added > limits.MaxIdsLength))
            {
                chunks.Add(chunk);
                chunk = [];
                length = 0;
            }

            chunk.Add(coin);
            length += added;
        }

        if (chunk.Count > 0)
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    public async Task<IReadOnlyList<PriceQuote>> GetPricesAsync(IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, ProviderPurpose purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coins);
        ArgumentNullException.ThrowIfNull(currencies);
        var path = "simple/price?ids=" + Uri.EscapeDataString(string.Join(',', coins.Select(c => c.Value)))
            + "&vs_currencies=" + Uri.EscapeDataString(string.Join(',', currencies.Select(c => c.Value)))
            + FullQuote;
        return await CallAsync(path, purpose, root => ReadPrices(root, coins, currencies, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GetSupportedCurrenciesAsync(CancellationToken cancellationToken) =>
        await CallAsync("simple/supported_vs_currencies", ProviderPurpose.Catalog, ReadCurrencies, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<CoinListing>> GetCoinsListAsync(CancellationToken cancellationToken) =>
        await CallAsync("coins/list?include_platform=true", ProviderPurpose.Catalog, ReadCoinsList, cancellationToken).ConfigureAwait(false);

    /// <summary>Contract addresses cut like coin ids (by count and URL length), one call per group, quotes merged.</summary>
    public async Task<IReadOnlyList<TokenQuote>> GetTokenPricesAsync(string platform, IReadOnlyCollection<string> addresses, IReadOnlyCollection<Currency> currencies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(currencies);
        var quotes = new List<TokenQuote>();
        foreach (var group in addresses.Chunk(Math.Max(1, Math.Min(_limits.MaxIdsPerCall, _limits.MaxIdsLength / 45))))
        {
            var path = "simple/token_price/" + Uri.EscapeDataString(platform)
                + "?contract_addresses=" + Uri.EscapeDataString(string.Join(',', group))
                + "&vs_currencies=" + Uri.EscapeDataString(string.Join(',', currencies.Select(c => c.Value)))
                + FullQuote;
            quotes.AddRange(await CallAsync(path, ProviderPurpose.Miss, root => ReadTokenPrices(root, group, currencies, time.GetUtcNow()), cancellationToken).ConfigureAwait(false));
        }

        return quotes;
    }

    /// <summary>CoinGecko's coin list; <c>platforms</c> may be absent, and its addresses may be empty or null (native coins).</summary>
    internal static List<CoinListing> ReadCoinsList(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("coins/list is not an array");
        }

        var list = new List<CoinListing>();
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("symbol", out var symbol) || symbol.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw Malformed("coins/list holds an entry without id, symbol and name");
            }

            var platforms = new Dictionary<string, string>(StringComparer.Ordinal);
            if (item.TryGetProperty("platforms", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var platform in map.EnumerateObject())
                {
                    if (platform.Value.ValueKind == JsonValueKind.String && platform.Name.Length > 0)
                    {
                        platforms[platform.Name] = platform.Value.GetString()!;
                    }
                }
            }

            list.Add(new CoinListing(id.GetString()!, symbol.GetString()!, name.GetString()!, platforms));
        }

        return list;
    }

    /// <summary>CoinGecko's map of contract address → field → number, read like <c>simple/price</c>.</summary>
    internal static List<TokenQuote> ReadTokenPrices(JsonElement root, IReadOnlyCollection<string> addresses, IReadOnlyCollection<Currency> currencies, DateTimeOffset fetchedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("simple/token_price is not an object");
        }

        // CoinGecko keys the answer by lower-case address; be lenient about case all the same.
        var byAddress = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            byAddress[property.Name] = property.Value;
        }

        var quotes = new List<TokenQuote>();
        foreach (var address in addresses)
        {
            if (!byAddress.TryGetValue(address, out var fields))
            {
                continue;
            }

            foreach (var (currency, quote) in ReadAsset(fields, currencies, "simple/token_price"))
            {
                quotes.Add(new TokenQuote(address, currency, quote.Price, quote.MarketCap, quote.Volume24h, quote.Change24h, fetchedAt, quote.LastUpdatedAt, Source));
            }
        }

        return quotes;
    }

    internal static List<string> ReadCurrencies(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("supported_vs_currencies is not an array");
        }

        var list = new List<string>();
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Malformed("supported_vs_currencies holds a non-string");
            }

            list.Add(item.GetString()!.ToLowerInvariant());
        }

        return list;
    }

    /// <summary>Reads CoinGecko's map of coin → field → number. A coin or currency absent from it is simply not quoted.</summary>
    internal static List<PriceQuote> ReadPrices(JsonElement root, IReadOnlyCollection<CoinId> coins, IReadOnlyCollection<Currency> currencies, DateTimeOffset fetchedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("simple/price is not an object");
        }

        var quotes = new List<PriceQuote>(coins.Count * currencies.Count);
        foreach (var coin in coins)
        {
            if (!root.TryGetProperty(coin.Value, out var fields))
            {
                continue;
            }

            foreach (var (currency, quote) in ReadAsset(fields, currencies, "simple/price"))
            {
                quotes.Add(new PriceQuote(
                    new PricePair(coin, currency), quote.Price, quote.MarketCap, quote.Volume24h, quote.Change24h, fetchedAt, quote.LastUpdatedAt, Source));
            }
        }

        return quotes;
    }

    /// <summary>
    /// One coin's or token's fields, the same in both answers: per currency its price (absent or null: not quoted) and
    /// extras, and one <c>last_updated_at</c>.
    /// </summary>
    private static List<(Currency Currency, AssetQuote Quote)> ReadAsset(JsonElement fields, IReadOnlyCollection<Currency> currencies, string endpoint)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{endpoint} entry is {fields.ValueKind}");
        }

        DateTimeOffset? lastUpdated = fields.TryGetProperty("last_updated_at", out var stamp) && stamp.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(stamp.GetInt64())
            : null;
        var quotes = new List<(Currency, AssetQuote)>(currencies.Count);
        foreach (var currency in currencies)
        {
            if (!fields.TryGetProperty(currency.Value, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (value.ValueKind != JsonValueKind.Number || !TryReadDecimal(value, out var price))
            {
                throw Malformed($"{endpoint} value is {value.ValueKind}");
            }

            quotes.Add((currency, new AssetQuote(
                price,
                ReadOptional(fields, currency.Value + "_market_cap"),
                ReadOptional(fields, currency.Value + "_24h_vol"),
                ReadOptional(fields, currency.Value + "_24h_change"),
                lastUpdated)));
        }

        return quotes;
    }

    /// <summary>An extra field: absent or null is "not given"; anything but a number is a malformed answer.</summary>
    private static decimal? ReadOptional(JsonElement fields, string name)
    {
        if (!fields.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && TryReadDecimal(value, out var number)
            ? number
            : throw Malformed($"simple/price field {name} is {value.ValueKind}");
    }

    private static bool TryReadDecimal(JsonElement value, out decimal price)
    {
        if (value.TryGetDecimal(out price))
        {
            return true;
        }

        // Exponent forms such as 1.2e-9 for tiny prices.
        return decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out price);
    }

    /// <summary>One provider call, measured, with its outcome reported to readiness.</summary>
    private async Task<T> CallAsync<T>(string path, ProviderPurpose purpose, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            using var document = await GetJsonAsync(path, purpose, cancellationToken).ConfigureAwait(false);
            var result = read(document.RootElement);
            metrics.Succeeded(time.GetElapsedTime(started));
            health.Succeeded();
            return result;
        }
        catch (ProviderUnavailableException ex)
        {
            metrics.Failed(ex.Failure, time.GetElapsedTime(started));
            health.Failed(ex);
            throw;
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, ProviderPurpose purpose, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Options.Set(PurposeKey, purpose);
            // The whole body is read inside the resilience pipeline, so its timeout covers a body that stalls too.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            throw Failed(ProviderFailure.CircuitOpen, "the circuit breaker is open after repeated failures", TimeSpan.FromSeconds(coinGeckoOptions.Value.CircuitBreakSeconds), ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Failed(ProviderFailure.Timeout, "no answer in time", UnknownRetryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failed(ProviderFailure.Error, ex.HttpRequestError.ToString(), UnknownRetryAfter, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(ProviderFailure.Timeout, "no answer in time", UnknownRetryAfter, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(ProviderFailure.Error, $"HTTP {(int)response.StatusCode}", RetryAfterHeader.Read(response, time.GetUtcNow()) ?? UnknownRetryAfter);
            }

            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (JsonException ex)
            {
                throw Failed(ProviderFailure.MalformedResponse, "the body is not valid JSON", UnknownRetryAfter, ex);
            }
        }
    }

    private ProviderUnavailableException Failed(ProviderFailure failure, string detail, TimeSpan retryAfter, Exception? inner = null)
    {
        InfrastructureLog.ProviderFailed(logger, failure.ToString(), detail);
        return new ProviderUnavailableException(failure, $"The price provider is unavailable: {detail}.", retryAfter, inner);
    }

    private static ProviderUnavailableException Malformed(string detail) =>
        new(ProviderFailure.MalformedResponse, $"The price provider sent an unexpected body: {detail}.", UnknownRetryAfter);

    private readonly record struct AssetQuote(decimal Price, decimal? MarketCap, decimal? Volume24h, decimal? Change24h, DateTimeOffset? LastUpdatedAt);
}
