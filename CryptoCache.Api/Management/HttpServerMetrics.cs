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

    /// <summary>Stands for "no endpoint matched" (an unknown route), as a dictionary key.</summary>
    private static readonly Endpoint NoEndpoint = new(null, EndpointMetadataCollection.Empty, null);

    // One entry per endpoint (a fixed set, plus NoEndpoint), each with its series per method and status code: bounded,
    // and found with one reference-keyed lookup per request.
    private readonly ConcurrentDictionary<Endpoint, EndpointSeries> _series = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint() ?? NoEndpoint;
        var series = _series.GetOrAdd(endpoint, static e => new EndpointSeries(e)).Of(context.Request.Method);
        var started = Stopwatch.GetTimestamp();
        series.InProgress.Inc();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            series.InProgress.Dec();
            var served = series.For(context.Response.StatusCode);
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

    /// <summary>An endpoint's series: GET's at hand (nearly every request), other methods by name.</summary>
    private sealed class EndpointSeries(Endpoint endpoint)
    {
        private readonly ConcurrentDictionary<string, MethodSeries> _others = new(StringComparer.Ordinal);
        private MethodSeries? _get;

        // Two threads may both build GET's series the first time: the same children either way (prometheus-net's).
        public MethodSeries Of(string method) =>
            HttpMethods.IsGet(method)
                ? _get ??= new MethodSeries(endpoint, HttpMethods.Get)
                : _others.GetOrAdd(KnownMethods.TryGetValue(method, out var known) ? known : "other", static (m, e) => new MethodSeries(e, m), endpoint);
    }

    /// <summary>One endpoint and method: its in-progress gauge, and its served series by status code, bound on first use.</summary>
    private sealed class MethodSeries(Endpoint endpoint, string method)
    {
        private readonly Served?[] _byStatus = new Served?[600];

        public Gauge.Child InProgress { get; } = HttpServerMetrics.InProgress.WithLabels(LabelValues(endpoint, method, code: null));

        public Served For(int status)
        {
            if ((uint)status >= (uint)_byStatus.Length)
            {
                return Bind(status);
            }

            return Volatile.Read(ref _byStatus[status]) ?? (_byStatus[status] = Bind(status));
        }

        private Served Bind(int status)
        {
            var labels = LabelValues(endpoint, method, status);
            return new Served(Requests.WithLabels(labels), Duration.WithLabels(labels));
        }
    }
}
