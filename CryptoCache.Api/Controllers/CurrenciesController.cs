using CryptoCache.Application.Currencies;
using CryptoCache.Application.Currencies.GetCurrencies;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using NSwag.Annotations;

namespace CryptoCache.Api.Controllers;

[ApiController]
[Produces("application/json")]
[OpenApiTag("Currencies")]
public sealed class CurrenciesController(IMediator mediator) : ControllerBase
{
    /// <summary>The quote currencies the provider supports (cached).</summary>
    /// <param name="cancellationToken">Aborted with the request.</param>
    /// <response code="200">Lower-case currency codes.</response>
    /// <response code="401">Client keys are configured (<c>Clients:ApiKeys</c>) and the request has no valid <c>X-Api-Key</c>.</response>
    /// <response code="503">The provider cannot be reached and the list is not cached; see <c>Retry-After</c>.</response>
    [HttpGet("/currencies")]
    [OpenApiOperation("GetCurrencies")]
    [ProducesResponseType<CurrencyListDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<CurrencyListDto> GetCurrencies(CancellationToken cancellationToken) =>
        mediator.Send(new GetCurrenciesQuery(), cancellationToken);
}
