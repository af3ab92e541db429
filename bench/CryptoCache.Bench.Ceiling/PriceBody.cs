using System.Text.Json;

namespace CryptoCache.Bench.Ceiling;

/// <summary>
/// The constant answer of the ceiling's <c>/price</c> (and <c>/minimal</c>): read once at start from the file named by
/// <c>Ceiling:PriceBodyFile</c> (bench/run.sh writes there the API's own hit answer, so that both write the same fields
/// with the same digits), otherwise the fake CoinGecko's quote for bitcoin in usd.
/// </summary>
public sealed class PriceBody
{
    private static readonly CeilingPriceDto FakeQuote = new()
    {
        Coin = "bitcoin",
        Currency = "usd",
        Price = 67187.3358936566m,
        MarketCap = 1317802988326.25m,
        Volume24h = 31260929299.5248m,
        Change24h = 3.63727894677354m,
        Cached = true,
        Stale = false,
        AgeSeconds = 12,
        FetchedAt = new DateTime(2026, 11, 29, 19, 3, 3, DateTimeKind.Utc),
        LastUpdatedAt = new DateTime(2024, 3, 25, 8, 45, 0, DateTimeKind.Utc),
        Source = "coingecko",
    };

    public PriceBody(IConfiguration configuration)
    {
        var file = configuration["Ceiling:PriceBodyFile"];
        Price = string.IsNullOrEmpty(file)
            ? FakeQuote
            : JsonSerializer.Deserialize(File.ReadAllText(file), CeilingJsonContext.Default.CeilingPriceDto)
              ?? throw new InvalidOperationException($"{file} holds no price");
    }

    public CeilingPriceDto Price { get; }
}
