using Microsoft.AspNetCore.Mvc;
using CryptoCache.Api.Management;
using NSwag.Annotations;

namespace CryptoCache.Api.Controllers;

[ApiController]
[Produces("application/json")]
[OpenApiTag("Health")]
[AllPorts]
public sealed class HealthController : ControllerBase
{
    private static readonly HealthDto Healthy = new("Healthy");

    /// <summary>Liveness: the process answers. Checks no dependency, so a Redis or provider outage never restarts the service.</summary>
    /// <response code="200">The service is up.</response>
    [HttpGet("/health")]
    [OpenApiOperation("GetHealth")]
    [ProducesResponseType<HealthDto>(StatusCodes.Status200OK)]
    public HealthDto GetHealth() => Healthy;
}
