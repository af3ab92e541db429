using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CryptoCache.FakeCoinGecko;

/// <summary>
/// The smallest <c>/coins/list</c> and <c>/simple/token_price</c> the CoinGecko-compatible API's tests need, kept apart
/// so that a fuller fake (names, symbols, platforms, token prices) can replace this file in a merge.
/// </summary>
public sealed partial class FakeCoinGeckoServer
{
    /// <summary>Contract addresses the fake knows on <c>ethereum</c>, and the coin each one prices as.</summary>
    public static readonly IReadOnlyDictionary<string, string> EthereumTokens = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["0xdac17f958d2ee523a2206206994597c13d831ec7"] = "tether",
        ["0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"] = "usd-coin",
        ["0x2260fac5e5542a773aa44fbcfedf7c193bc2c599"] = "wrapped-bitcoin",
    };

    private int _coinsListCalls;
    private int _tokenPriceCalls;

    public int CoinsListCalls => Volatile.Read(ref _coinsListCalls);

    public int TokenPriceCalls => Volatile.Read(ref _tokenPriceCalls);

    private void ResetV3Additions()
    {
        Interlocked.Exchange(ref _coinsListCalls, 0);
        Interlocked.Exchange(ref _tokenPriceCalls, 0);
    }

    private void MapV3Additions(WebApplication app)
    {
        app.MapGet("/api/v3/coins/list", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _coinsListCalls);
            var withPlatforms = string.Equals(http.Request.Query["include_platform"], "true", StringComparison.Ordinal);
            return await AnswerAsync(http, () => CoinsList(withPlatforms)).ConfigureAwait(false);
        });
        app.MapGet("/api/v3/simple/token_price/{platform}", async (HttpContext http, string platform) =>
        {
            Interlocked.Increment(ref _tokenPriceCalls);
            var addresses = Split(http.Request.Query["contract_addresses"]);
            var currencies = Split(http.Request.Query["vs_currencies"]);
            return await AnswerAsync(http, () => TokenPrices(platform, addresses, currencies)).ConfigureAwait(false);
        });
    }

    private static string CoinsList(bool withPlatforms)
    {
        var list = ReadFixture("coins-list.json").AsArray();
        if (withPlatforms)
        {
            foreach (var coin in list)
            {
                var platforms = new JsonObject();
                foreach (var (address, id) in EthereumTokens)
                {
                    if (id == coin!["id"]!.GetValue<string>())
                    {
                        platforms["ethereum"] = address;
                    }
                }

                coin!["platforms"] = platforms;
            }
        }

        return list.ToJsonString();
    }

    private string TokenPrices(string platform, string[] addresses, string[] currencies)
    {
        var root = new JsonObject();
        if (platform != "ethereum")
        {
            return root.ToJsonString();
        }

        foreach (var address in addresses.Select(a => a.ToLowerInvariant()).Distinct())
        {
            if (!EthereumTokens.TryGetValue(address, out var coin))
            {
                continue;
            }

            var fields = new JsonObject();
            foreach (var currency in currencies.Where(IsSupportedCurrency).Distinct())
            {
                fields[currency] = PriceOf(coin, currency);
            }

            fields["last_updated_at"] = 1_711_356_300;
            root[address] = fields;
        }

        return root.ToJsonString();
    }
}
