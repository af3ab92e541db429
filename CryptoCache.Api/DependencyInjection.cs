using CryptoCache.Api.Clients;
using CryptoCache.Api.CoinGecko;
using CryptoCache.Application.Abstractions;
using CryptoCache.Api.Configuration;
using CryptoCache.Api.ErrorHandling;
using CryptoCache.Api.Filters;
using CryptoCache.Api.Health;
using CryptoCache.Api.Management;
using CryptoCache.Api.Serialization;
using CryptoCache.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Net.Http.Headers;
using Prometheus;

namespace CryptoCache.Api;

public static class DependencyInjection
{
    private const string SwaggerPath = "/swagger";

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration, ServerUrls urls)
    {
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CorsOptions>().BindConfiguration(CorsOptions.SectionName)
            .Validate(o => o.Origins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/"),
                "Cors:AllowedOrigins must be absolute origins such as https://app.example.com.")
            .ValidateOnStart();
        services.AddSingleton(urls);
        services.AddSingleton<ClientKeys>();
        services.AddSingleton<IClientContext, HttpClientContext>();
        if (urls.ManagementPort > 0)
        {
            MetricsSetup.Configure();
        }

        services.AddControllers(options =>
        {
            // An instance, not Add<T>(): a type filter is built anew for every request, and with it the action's whole filter list.
            options.Filters.Add(new FreshnessHeadersFilter());
            options.ModelMetadataDetailsProviders.Add(new KeepEmptyQueryValues());
            options.Conventions.Add(new ManagementControllersConvention(urls.ManagementPort > 0));
        }).AddJsonOptions(options =>
        {
            options.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            options.JsonSerializerOptions.Converters.Add(new CoinGeckoPriceMapConverter());
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddHealthChecks().AddCheck<ShutdownHealthCheck>("lifecycle", tags: [Infrastructure.DependencyInjection.ReadyTag]);

        var origins = configuration.GetSection(CorsOptions.SectionName).Get<CorsOptions>()?.Origins ?? [];
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Options)
            .AllowAnyHeader()
            .WithExposedHeaders("Age", "Retry-After", FreshnessHeadersFilter.CacheStatus)
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));

        services.AddOpenApiDocument(document =>
        {
            document.DocumentName = "v1";
            document.Title = "CryptoCache";
            document.Description = "Crypto prices from CoinGecko through a shared cache that protects the provider.";
        });
        return services;
    }

    /// <summary>The seed's environment names and port 8000, plus the management port.</summary>
    public static ServerUrls AddSeedConventions(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddSeedEnvironmentVariables();
        var urls = ServerUrls.From(builder.Configuration);
        builder.WebHost.UseUrls([.. urls.All]);
        return urls;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        // Unknown routes (404) and wrong methods (405) get problem details too, not empty bodies.
        app.UseMiddleware<EmptyErrorProblems>();
        // The document and the UI live under /swagger; their middlewares (NSwag's and static files') would otherwise
        // inspect every request, the hot price path included. Built at the first such request, not at startup.
        app.UseWhenLazily(context => context.Request.Path.StartsWithSegments(SwaggerPath, StringComparison.OrdinalIgnoreCase), swagger =>
        {
            swagger.UseOpenApi(settings =>
            {
                settings.Path = SwaggerPath + "/{documentName}/swagger.json";
                // No host in the document: it is the same wherever it is served, so clients generated from it do not drift.
                settings.PostProcess = (document, _) => document.Servers.Clear();
            });
            swagger.UseSwaggerUi(settings =>
            {
                settings.Path = SwaggerPath;
                settings.DocumentPath = SwaggerPath + "/{documentName}/swagger.json";
            });
        });
        app.UseRouting();
        // Only requests that CORS concerns: a browser's cross-origin request carries Origin. The middleware otherwise
        // changes nothing but still resolves its policy provider and writes an items entry on every request.
        app.UseWhen(NeedsCors, cors => cors.UseCors());
        var urls = app.Services.GetRequiredService<ServerUrls>();
        if (urls.ManagementPort > 0)
        {
            // Only where /metrics is served: without a management port nothing would read them.
            app.UseMiddleware<HttpServerMetrics>();
        }

        // After CORS, so that a browser's preflight (which carries no key) is answered; before any controller.
        app.UseMiddleware<ClientKeyMiddleware>();

        var controllers = app.MapControllers();
        if (urls.ManagementPort > 0)
        {
            var management = $"*:{urls.ManagementPort}";
            var publicHosts = urls.PublicPorts.Select(p => $"*:{p}").ToArray();
            controllers.Add(endpoint =>
            {
                if (endpoint.Metadata.OfType<ManagementOnlyAttribute>().Any())
                {
                    endpoint.Metadata.Add(new HostAttribute(management));
                }
                else if (!endpoint.Metadata.OfType<AllPortsAttribute>().Any())
                {
                    endpoint.Metadata.Add(new HostAttribute(publicHosts));
                }
            });

            // Degraded (Redis or provider down) is still ready: the replica answers, and taking every replica out
            // of the Service for a shared outage would only turn it into a full one.
            app.MapHealthChecks("/health/ready", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(Infrastructure.DependencyInjection.ReadyTag),
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status200OK,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
                ResponseWriter = ReadinessResponseWriter.WriteAsync,
            }).RequireHost(management);
            app.MapMetrics().RequireHost(management);
        }

        return app;
    }

    /// <summary>A cross-origin request (or preflight), or an endpoint with CORS metadata, which checks the middleware ran.</summary>
    private static bool NeedsCors(HttpContext context) =>
        context.Request.Headers.ContainsKey(HeaderNames.Origin)
        || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Cors.Infrastructure.ICorsMetadata>() is not null;

    /// <summary>
    /// Runs the app; a configuration error or a port already in use stops it with one line that names the key to
    /// change, and exit code 1, rather than a stack trace.
    /// </summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var urls = app.Services.GetRequiredService<ServerUrls>();
        try
        {
            // Configuration first (what ValidateOnStart would report), then the ports: both before the host starts, so
            // that the answer is one line rather than the host's stack trace.
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            if (urls.PortInUse() is { } busy)
            {
                return await ExplainAsync(app, PortInUse(urls, busy)).ConfigureAwait(false);
            }

            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Taken between the check and the bind.
            return await ExplainAsync(app, PortInUse(urls, urls.All.FirstOrDefault(u => ex.Message.Contains(u, StringComparison.Ordinal)) ?? ex.Message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException
                                   || (ex is InvalidOperationException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)))
        {
            return await ExplainAsync(app, ex.Message + (ex.InnerException is { } inner ? " " + inner.Message : string.Empty)).ConfigureAwait(false);
        }
    }

    /// <summary>For a configuration file that cannot be read: nothing is built yet, so there is only the console.</summary>
    public static int ExplainUnreadableConfiguration(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Console.Error.WriteLine($"Configuration error: {exception.Message} {exception.InnerException?.Message} Fix the file's JSON (appsettings.json, or appsettings.<environment>.json for ASPNETCORE_ENVIRONMENT).");
        return 1;
    }

    private static string PortInUse(ServerUrls urls, string url) =>
        urls.ManagementPort > 0 && url.EndsWith($":{urls.ManagementPort}", StringComparison.Ordinal)
            ? $"Management port {urls.ManagementPort} is already in use: set Management:Port (env Management__Port) to a free port, or 0 to turn the management port off."
            : $"{url} is already in use: set the public URL (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or --urls) to a free port.";

    private static async Task<int> ExplainAsync(WebApplication app, string message)
    {
        Logging.ApiLog.ConfigurationInvalid(app.Logger, message);
        await Console.Error.WriteLineAsync($"Configuration error: {message}").ConfigureAwait(false);
        return 1;
    }
}
