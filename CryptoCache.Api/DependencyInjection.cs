using CryptoCache.Api.ErrorHandling;
using CryptoCache.Api.Configuration;
using CryptoCache.Api.Filters;

namespace CryptoCache.Api;

public static class DependencyInjection
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddControllers(options => options.Filters.Add<FreshnessHeadersFilter>());
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApiDocument(document =>
        {
            document.DocumentName = "v1";
            document.Title = "CryptoCache";
            document.Description = "Crypto prices from CoinGecko through a shared cache that protects the provider.";
        });
        return services;
    }

    /// <summary>Seed environment names, and the seed's port 8000 unless ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or --urls say otherwise.</summary>
    public static WebApplicationBuilder AddSeedConventions(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddSeedEnvironmentVariables();
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"] ?? builder.Configuration["https_ports"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            builder.WebHost.UseUrls("http://0.0.0.0:8000");
        }

        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Unknown routes (404) and wrong methods (405) get problem details too, not empty bodies.
        app.UseStatusCodePages();
        app.UseOpenApi(settings =>
        {
            settings.Path = "/swagger/{documentName}/swagger.json";
            // No host in the document: it is the same wherever it is served, so clients generated from it do not drift.
            settings.PostProcess = (document, _) => document.Servers.Clear();
        });
        app.UseSwaggerUi(settings =>
        {
            settings.Path = "/swagger";
            settings.DocumentPath = "/swagger/{documentName}/swagger.json";
        });
        app.MapControllers();
        return app;
    }

    /// <summary>Runs the app; a configuration error stops it with one line that names the key, and exit code 1.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException
                                   || (ex is InvalidOperationException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)))
        {
            var message = ex.Message + (ex.InnerException is { } inner ? " " + inner.Message : string.Empty);
            Logging.ApiLog.ConfigurationInvalid(app.Logger, message);
            await Console.Error.WriteLineAsync($"Configuration error: {message}").ConfigureAwait(false);
            return 1;
        }
    }
}
