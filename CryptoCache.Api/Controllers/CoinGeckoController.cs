using CryptoCache.Api.CoinGecko;
using CryptoCache.Application.CoinGecko.CoinsList;
using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Application.CoinGecko.SupportedVsCurrencies;
using CryptoCache.Application.CoinGecko.TokenPrice;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using NSwag.Annotations;

namespace CryptoCache.Api.Controllers;

/// <summary>
/// CoinGecko v3 paths and shapes, served from our cache, so that programs written for CoinGecko work unchanged with
/// their base URL pointed at <c>/api/v3</c>. Client API keys (<c>x-cg-demo-api-key</c>, <c>x-cg-pro-api-key</c>
/// headers or <c>x_cg_demo_api_key</c>, <c>x_cg_pro_api_key</c> parameters) identify the client (its fair share, and
/// its key when <c>Clients:ApiKeys</c> is set): never bound, logged, cached or forwarded; the service calls CoinGecko
/// with its own key. Parameters take one (comma-separated)
/// value each; a repeated parameter is refused.
/// </summary>
[ApiController]
[Route("api/v3")]
[Produces("application/json")]
[OpenApiTag("CoinGecko-compatible")]
public sealed class CoinGeckoController(IMediator mediator) : ControllerBase
{
    /// <summary>
    /// The request's abort token, read here rather than bound as an action parameter: MVC binds a <c>CancellationToken</c>
    /// parameter like any other, searching every value provider (route values included) for its name on each request,
    /// which cost the cached <c>/simple/price</c> answer about a twentieth of its CPU.
    /// </summary>
    private CancellationToken RequestAborted => HttpContext.RequestAborted;

    /// <summary>CoinGecko's <c>/ping</c>; no provider call.</summary>
    /// <response code="200"><c>{"gecko_says":"(V3) To the Moon!"}</c></response>
    [HttpGet("ping")]
    [OpenApiOperation("CoinGeckoPing")]
    [ProducesResponseType<PingDto>(StatusCodes.Status200OK)]
    public PingDto Ping() => PingDto.ToTheMoon;

    /// <summary>
    /// CoinGecko's <c>/simple/price</c> from the cache: coin id → field → number. One cached quote per coin and currency
    /// serves every include flag and precision. <c>Cache-Status</c> and <c>Age</c> say how it was served.
    /// </summary>
    /// <param name="ids">Coin ids, comma-separated (at most <c>CoinGeckoApi:MaxIds</c>); unknown ids are absent. Wins over names and symbols.</param>
    /// <param name="names">Coin names, comma-separated (used when no ids are given).</param>
    /// <param name="symbols">Coin symbols, comma-separated (used when neither ids nor names are given).</param>
    /// <param name="includeTokens"><c>top</c> (default: the coin with the highest market cap per symbol) or <c>all</c> (at most 50 symbols).</param>
    /// <param name="vsCurrencies">Quote currencies, comma-separated (required); an unsupported one is absent from the answer.</param>
    /// <param name="includeMarketCap"><c>true</c> adds <c>&lt;cur&gt;_market_cap</c>.</param>
    /// <param name="include24hrVol"><c>true</c> adds <c>&lt;cur&gt;_24h_vol</c>.</param>
    /// <param name="include24hrChange"><c>true</c> adds <c>&lt;cur&gt;_24h_change</c> (may be null).</param>
    /// <param name="includeLastUpdatedAt"><c>true</c> adds <c>last_updated_at</c> (unix seconds).</param>
    /// <param name="precision"><c>full</c> or 0-18: decimal places of every number, rounded half away from zero. Absent: the provider's value.</param>
    /// <response code="200">The map; <c>{}</c> when no coin is known.</response>
    /// <response code="400">A parameter is missing, repeated or invalid; <c>error</c> names it. No provider call is made.</response>
    /// <response code="401">Client keys are configured and the request has no valid key (<c>x-cg-demo-api-key</c>, <c>x-cg-pro-api-key</c>, <c>X-Api-Key</c> or the <c>x_cg_*_api_key</c> parameter).</response>
    /// <response code="429">The provider's call budget is spent (or it answered 429), or this client spent its share of new (uncached) pairs, and nothing is cached; see <c>Retry-After</c>. Coins refused for the client's share in a partial answer are absent, as in an outage.</response>
    /// <response code="503">The provider cannot be reached and nothing is cached; see <c>Retry-After</c>.</response>
    [HttpGet("simple/price")]
    [OpenApiOperation("CoinGeckoSimplePrice")]
    [ProducesResponseType<Dictionary<string, Dictionary<string, decimal?>>>(StatusCodes.Status200OK)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status429TooManyRequests)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status503ServiceUnavailable)]
    public Task<CoinGeckoPriceMap> SimplePrice(
        [QueryValues("ids")] string[]? ids,
        [QueryValues("names")] string[]? names,
        [QueryValues("symbols")] string[]? symbols,
        [QueryValues("include_tokens")] string[]? includeTokens,
        [QueryValues("vs_currencies")] string[]? vsCurrencies,
        [QueryValues("include_market_cap")] string[]? includeMarketCap,
        [QueryValues("include_24hr_vol")] string[]? include24hrVol,
        [QueryValues("include_24hr_change")] string[]? include24hrChange,
        [QueryValues("include_last_updated_at")] string[]? includeLastUpdatedAt,
        [QueryValues("precision")] string[]? precision) =>
        mediator.Send(new SimplePriceQuery(ids, names, symbols, includeTokens, vsCurrencies, includeMarketCap, include24hrVol, include24hrChange, includeLastUpdatedAt, precision), RequestAborted);

    /// <summary>CoinGecko's <c>/simple/token_price/{platform}</c> from the cache: contract address (lower-case) → field → number.</summary>
    /// <param name="platform">Asset platform id, e.g. <c>ethereum</c>.</param>
    /// <param name="contractAddresses">Contract addresses (<c>0x</c> + 40 hex digits), comma-separated; unknown ones are absent.</param>
    /// <param name="vsCurrencies">Quote currencies, comma-separated (required).</param>
    /// <param name="includeMarketCap"><c>true</c> adds <c>&lt;cur&gt;_market_cap</c>.</param>
    /// <param name="include24hrVol"><c>true</c> adds <c>&lt;cur&gt;_24h_vol</c>.</param>
    /// <param name="include24hrChange"><c>true</c> adds <c>&lt;cur&gt;_24h_change</c>.</param>
    /// <param name="includeLastUpdatedAt"><c>true</c> adds <c>last_updated_at</c>.</param>
    /// <param name="precision"><c>full</c> or 0-18, as for <c>/simple/price</c>.</param>
    /// <response code="200">The map; <c>{}</c> when no contract is known.</response>
    /// <response code="400">A parameter is missing, repeated or invalid (a malformed address); <c>error</c> names it.</response>
    /// <response code="404">The asset platform is unknown.</response>
    /// <response code="401">Client keys are configured and the request has no valid key (<c>x-cg-demo-api-key</c>, <c>x-cg-pro-api-key</c>, <c>X-Api-Key</c> or the <c>x_cg_*_api_key</c> parameter).</response>
    /// <response code="429">The provider's call budget is spent and nothing is cached; see <c>Retry-After</c>.</response>
    /// <response code="503">The provider cannot be reached and nothing is cached; see <c>Retry-After</c>.</response>
    [HttpGet("simple/token_price/{platform}")]
    [OpenApiOperation("CoinGeckoTokenPrice")]
    [ProducesResponseType<Dictionary<string, Dictionary<string, decimal?>>>(StatusCodes.Status200OK)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status429TooManyRequests)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status503ServiceUnavailable)]
    public Task<CoinGeckoPriceMap> TokenPrice(
        string platform,
        [QueryValues("contract_addresses")] string[]? contractAddresses,
        [QueryValues("vs_currencies")] string[]? vsCurrencies,
        [QueryValues("include_market_cap")] string[]? includeMarketCap,
        [QueryValues("include_24hr_vol")] string[]? include24hrVol,
        [QueryValues("include_24hr_change")] string[]? include24hrChange,
        [QueryValues("include_last_updated_at")] string[]? includeLastUpdatedAt,
        [QueryValues("precision")] string[]? precision) =>
        mediator.Send(new TokenPriceQuery(platform, contractAddresses, vsCurrencies, includeMarketCap, include24hrVol, include24hrChange, includeLastUpdatedAt, precision), RequestAborted);

    /// <summary>CoinGecko's <c>/simple/supported_vs_currencies</c>: the cached list.</summary>
    /// <response code="200">Lower-case currency codes.</response>
    /// <response code="401">Client keys are configured and the request has no valid key (<c>x-cg-demo-api-key</c>, <c>x-cg-pro-api-key</c>, <c>X-Api-Key</c> or the <c>x_cg_*_api_key</c> parameter).</response>
    /// <response code="429">The provider's call budget is spent and the list is not cached.</response>
    /// <response code="503">The provider cannot be reached and the list is not cached.</response>
    [HttpGet("simple/supported_vs_currencies")]
    [OpenApiOperation("CoinGeckoSupportedVsCurrencies")]
    [ProducesResponseType<IReadOnlyList<string>>(StatusCodes.Status200OK)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status429TooManyRequests)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status503ServiceUnavailable)]
    public Task<IReadOnlyList<string>> SupportedVsCurrencies() =>
        mediator.Send(new SupportedVsCurrenciesQuery(), RequestAborted);

    /// <summary>CoinGecko's <c>/coins/list</c>: the cached coin list (cached once, with platforms; trimmed per request).</summary>
    /// <param name="includePlatform"><c>true</c> adds each coin's <c>platforms</c> (platform id → contract address).</param>
    /// <response code="200">Every coin: id, symbol, name (and platforms).</response>
    /// <response code="400">include_platform is repeated or not true/false.</response>
    /// <response code="401">Client keys are configured and the request has no valid key (<c>x-cg-demo-api-key</c>, <c>x-cg-pro-api-key</c>, <c>X-Api-Key</c> or the <c>x_cg_*_api_key</c> parameter).</response>
    /// <response code="429">The provider's call budget is spent and the list is not cached.</response>
    /// <response code="503">The provider cannot be reached and the list is not cached.</response>
    [HttpGet("coins/list")]
    [OpenApiOperation("CoinGeckoCoinsList")]
    [ProducesResponseType<IReadOnlyList<CoinListItemDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<CoinGeckoRateLimitDto>(StatusCodes.Status429TooManyRequests)]
    [ProducesResponseType<CoinGeckoErrorDto>(StatusCodes.Status503ServiceUnavailable)]
    public Task<IReadOnlyList<CoinListItemDto>> CoinsList([QueryValues("include_platform")] string[]? includePlatform) =>
        mediator.Send(new CoinsListQuery(includePlatform), RequestAborted);
}
