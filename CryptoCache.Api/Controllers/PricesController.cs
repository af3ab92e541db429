using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using CryptoCache.Application.Prices.GetPrices;
using CryptoCache.Api.Filters;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using NSwag.Annotations;

namespace CryptoCache.Api.Controllers;

[ApiController]
[Produces("application/json")]
[OpenApiTag("Prices")]
public sealed class PricesController(IMediator mediator) : ControllerBase
{
    /// <summary>The price of one coin in one currency, from the cache when it is fresh.</summary>
    /// <param name="coin">CoinGecko coin id, e.g. <c>bitcoin</c> (any case). Default: <c>DEFAULT_COIN</c>.</param>
    /// <param name="currency">Quote currency, e.g. <c>usd</c>; one of <c>GET /currencies</c>. Default: <c>DEFAULT_CURRENCY</c>.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    /// <response code="200">The price; <c>stale</c> is true when the provider is down and the last known price is served.</response>
    /// <response code="400">A parameter is invalid; <c>errors</c> names it.</response>
    /// <response code="404">The provider does not know this coin.</response>
    /// <response code="401">Client keys are configured (<c>Clients:ApiKeys</c>) and the request has no valid <c>X-Api-Key</c>.</response>
    /// <response code="429">This client spent its share of new (uncached) pairs for now; see <c>Retry-After</c>. Cached pairs are still served.</response>
    /// <response code="503">The provider cannot be reached and no price is cached; see <c>Retry-After</c>.</response>
    [HttpGet("/price")]
    [SingleQueryValue("coin", "currency")]
    [OpenApiOperation("GetPrice")]
    [ProducesResponseType<PriceDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<PriceDto> GetPrice([FromQuery] string? coin, [FromQuery] string? currency, CancellationToken cancellationToken) =>
        mediator.Send(new GetPriceQuery(coin, currency), cancellationToken);

    /// <summary>Prices of several coins in several currencies in one request; cached pairs come from the cache, the rest from one provider call.</summary>
    /// <param name="coins">Coin ids, comma-separated or repeated (at most <c>Prices:MaxBatchCoins</c>).</param>
    /// <param name="currencies">Quote currencies, comma-separated or repeated (at most <c>Prices:MaxBatchCurrencies</c>). Default: <c>DEFAULT_CURRENCY</c>.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    /// <response code="200">Every pair with a price, and the pairs without one in <c>missing</c>.</response>
    /// <response code="400">A parameter is invalid or over its limit; <c>errors</c> names it.</response>
    /// <response code="401">Client keys are configured (<c>Clients:ApiKeys</c>) and the request has no valid <c>X-Api-Key</c>.</response>
    /// <response code="429">This client spent its share of new (uncached) pairs and none of the pairs is cached; see <c>Retry-After</c>. A partial answer lists the refused pairs in <c>missing</c> with reason <c>quota</c>.</response>
    /// <response code="503">The provider cannot be reached and none of the pairs is cached; see <c>Retry-After</c>.</response>
    [HttpGet("/prices")]
    [OpenApiOperation("GetPrices")]
    [ProducesResponseType<PriceListDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<PriceListDto> GetPrices([FromQuery] string[]? coins, [FromQuery] string[]? currencies, CancellationToken cancellationToken) =>
        mediator.Send(new GetPricesQuery(coins, currencies), cancellationToken);
}
