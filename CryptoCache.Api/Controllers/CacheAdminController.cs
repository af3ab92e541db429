using CryptoCache.Api.Management;
using CryptoCache.Application.Admin.GetCacheStats;
using CryptoCache.Application.Admin.PurgePrices;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using NSwag.Annotations;

namespace CryptoCache.Api.Controllers;

/// <summary>Operators' cache controls, on the management port only (reach it with <c>kubectl port-forward</c>).</summary>
[ApiController]
[ManagementOnly]
[Route("admin/cache")]
[Produces("application/json")]
[OpenApiIgnore]
public sealed class CacheAdminController(IMediator mediator) : ControllerBase
{
    /// <summary>This replica's cache figures and the shared provider budget.</summary>
    [HttpGet("stats")]
    public Task<CacheStatsDto> GetStats(CancellationToken cancellationToken) =>
        mediator.Send(new GetCacheStatsQuery(), cancellationToken);

    /// <summary>Forgets one pair on every replica.</summary>
    [HttpDelete("prices/{coin}/{currency}")]
    public Task<PurgeResultDto> PurgePair(string coin, string currency, CancellationToken cancellationToken) =>
        mediator.Send(new PurgePricesCommand(coin, currency), cancellationToken);

    /// <summary>Forgets one coin in every supported currency on every replica.</summary>
    [HttpDelete("prices/{coin}")]
    public Task<PurgeResultDto> PurgeCoin(string coin, CancellationToken cancellationToken) =>
        mediator.Send(new PurgePricesCommand(coin, null), cancellationToken);
}
