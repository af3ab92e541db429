using Microsoft.AspNetCore.Mvc;

namespace CryptoCache.Bench.Ceiling;

/// <summary>The API's price action with the work taken out: what MVC itself costs on this route.</summary>
[ApiController]
[Produces("application/json")]
public sealed class PriceController(PriceBody body) : ControllerBase
{
    [HttpGet("/price")]
    public CeilingPriceDto GetPrice([FromQuery] string? coin, [FromQuery] string? currency, CancellationToken cancellationToken) => body.Price;
}
