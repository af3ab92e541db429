using Microsoft.AspNetCore.Mvc;

namespace CryptoCache.Bench.Ceiling;

/// <summary>The API's price action with the work taken out: what MVC itself costs on this route.</summary>
[ApiController]
[Produces("application/json")]
public sealed class PriceController : ControllerBase
{
    internal static readonly CeilingPriceDto Constant = new()
    {
        Coin = "bitcoin",
        Currency = "usd",
        Price = 67187.3358936566m,
        Cached = true,
        Stale = false,
        AgeSeconds = 12,
        FetchedAt = new DateTime(2026, 11, 29, 19, 3, 3, DateTimeKind.Utc),
        LastUpdatedAt = new DateTime(2024, 3, 25, 8, 45, 0, DateTimeKind.Utc),
        Source = "coingecko",
    };

    [HttpGet("/price")]
    public CeilingPriceDto GetPrice([FromQuery] string? coin, [FromQuery] string? currency, CancellationToken cancellationToken) => Constant;
}
