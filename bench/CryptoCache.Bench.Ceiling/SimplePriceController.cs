using Microsoft.AspNetCore.Mvc;

namespace CryptoCache.Bench.Ceiling;

/// <summary>
/// The ceiling of the CoinGecko-compatible price route: MVC binding CoinGecko's query parameters, then writing a constant
/// dictionary of the same shape as the API's answer (coin → field → number) through the same JSON setup.
/// </summary>
[ApiController]
[Produces("application/json")]
public sealed class SimplePriceController(SimplePriceBody body) : ControllerBase
{
    [HttpGet("/api/v3/simple/price")]
    public IReadOnlyDictionary<string, Dictionary<string, decimal?>> GetSimplePrice(
        [FromQuery] string? ids,
        [FromQuery(Name = "vs_currencies")] string? vsCurrencies,
        [FromQuery(Name = "include_market_cap")] bool? includeMarketCap,
        [FromQuery(Name = "include_24hr_vol")] bool? include24HrVol,
        [FromQuery(Name = "include_24hr_change")] bool? include24HrChange,
        [FromQuery(Name = "include_last_updated_at")] bool? includeLastUpdatedAt,
        [FromQuery] string? precision,
        CancellationToken cancellationToken) => body.Prices;
}
