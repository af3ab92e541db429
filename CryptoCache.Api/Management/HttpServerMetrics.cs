using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace CryptoCache.Api.Management;

/// <summary>
/// The HTTP server metrics prometheus-net's <c>UseHttpMetrics</c> exports (same names, labels and buckets), in one
/// middleware with the label children bound once per endpoint, method and status code. prometheus-net's version runs
/// three middlewares and builds and looks up the label values of every request, which cost the hit path more than
/// the price lookup itself.
/// </summary>
internal sealed class HttpServerMetrics(RequestDelegate next)
{
    private static readonly string[] Labels = ["code", "method", "controller", "action", "endpoint"];

    private static readonly Counter Requests = Metrics.CreateCounter(
        "http_requests_received_total", "Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.",
        new CounterConfiguration { LabelNames = Labels });

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "http_request_duration_seconds", "The duration of HTTP requests processed by an ASP.NET Core application.",
        new HistogramConfiguration { LabelNames = Labels, Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    private static readonly Gauge InProgress = Metrics.CreateGauge(
        "http_requests_in_progress", "The number of requests currently in progress in the ASP.NET Core pipeline.",
        new GaugeConfiguration { LabelNames = Labels[1..] });

    /// <summary>Methods kept as they are; any other becomes "other", so that a client cannot grow the label set.</summary>
    private static readonly HashSet<string> KnownMethods = new(
        [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Options, HttpMethods.Trace, HttpMethods.Connect],
        StringComparer.Ordinal);

    // Keyed by the endpoint object (a fixed set, null for unmatched requests), the method and the status code: bounded.
    private readonly ConcurrentDictionary<(Endpoint?, string, int), Served> _served = new();
    private readonly ConcurrentDictionary<(Endpoint?, string), Gauge.Child> _inProgress = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var method = KnownMethods.TryGetValue(context.Request.Method, out var known) ? known : "other";
        var inProgress = _inProgress.GetOrAdd((endpoint, method), static key => InProgress.WithLabels(LabelValues(key.Item1, key.Item2, code: null)));
        var started = Stopwatch.GetTimestamp();
        inProgress.Inc();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            inProgress.Dec();
            var served = _served.GetOrAdd((endpoint, method, context.Response.StatusCode), static key =>
            {
                var labels = LabelValues(key.Item1, key.Item2, key.Item3);
                return new Served(Requests.WithLabels(labels), Duration.WithLabels(labels));
            });
            served.Count.Inc();
            served.Duration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The label values prometheus-net gives: controller and action names, and the route template as the endpoint.</summary>
    private static string[] LabelValues(Endpoint? endpoint, string method, int? code)
    {
        var action = endpoint?.Metadata.GetMetadata<ControllerActionDescriptor>();
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText?.TrimStart('/') ?? string.Empty;
        string[] common = [method, action?.ControllerName ?? string.Empty, action?.ActionName ?? string.Empty, route];
        return code is { } status ? [status.ToString(System.Globalization.CultureInfo.InvariantCulture), .. common] : common;
    }

    private sealed record Served(Counter.Child Count, Histogram.Child Duration);
}
