namespace CryptoCache.Api.Controllers;

/// <summary>The seed's health answer.</summary>
/// <param name="Status">Always <c>Healthy</c> when the process answers.</param>
public sealed record HealthDto(string Status);
