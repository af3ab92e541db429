using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CryptoCache.Api.Health;

/// <summary>Readiness says why: each check's status and description, never a secret.</summary>
internal static class ReadinessResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(
                e => e.Key,
                e => new Dictionary<string, string?> { ["status"] = e.Value.Status.ToString(), ["description"] = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
