using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// <see cref="ILogger.BeginScope"/>, as ASP.NET Core's hosting opens one per request (its state: the request id and
/// path), with the console provider configured by the API's appsettings.json (JSON formatter, IncludeScopes true);
/// the same with IncludeScopes false; and with a provider that supports no scopes (Debug). Only the scope is measured:
/// nothing is logged. The state is built once; hosting allocates its own per request on top.
/// </summary>
[MemoryDiagnoser]
public class LoggingScopeBenchmarks
{
    // The logger hosting opens its request scope on.
    private const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private readonly RequestScopeState _state = new("0HNABCDEFGHIJ:00000001", "/price");
    private ServiceProvider _jsonScopes = null!;
    private ServiceProvider _jsonNoScopes = null!;
    private ServiceProvider _noScopeProvider = null!;
    private ILogger _jsonScopesLogger = null!;
    private ILogger _jsonNoScopesLogger = null!;
    private ILogger _noScopeLogger = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jsonScopes = Console(includeScopes: null);
        _jsonNoScopes = Console(includeScopes: false);
        _noScopeProvider = Logging(HitPathServices.LoadConfiguration(), logging => logging.AddDebug());
        Check(_jsonScopes, includeScopes: true);
        Check(_jsonNoScopes, includeScopes: false);
        _jsonScopesLogger = _jsonScopes.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        _jsonNoScopesLogger = _jsonNoScopes.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        _noScopeLogger = _noScopeProvider.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _jsonScopes.Dispose();
        _jsonNoScopes.Dispose();
        _noScopeProvider.Dispose();
    }

    [Benchmark(Description = "BeginScope+Dispose, console JSON, IncludeScopes true (appsettings.json)")]
    public IDisposable? ConsoleJsonScopes() => Scope(_jsonScopesLogger);

    [Benchmark(Description = "BeginScope+Dispose, console JSON, IncludeScopes false")]
    public IDisposable? ConsoleJsonNoScopes() => Scope(_jsonNoScopesLogger);

    [Benchmark(Description = "BeginScope+Dispose, no scope-supporting provider (Debug)")]
    public IDisposable? NoScopeProvider() => Scope(_noScopeLogger);

    private IDisposable? Scope(ILogger logger)
    {
        var scope = logger.BeginScope(_state);
        scope?.Dispose();
        return scope;
    }

    /// <summary>The console provider as the API configures it, IncludeScopes overridden when given.</summary>
    private static ServiceProvider Console(bool? includeScopes)
    {
        var overrides = new Dictionary<string, string?>();
        if (includeScopes is { } include)
        {
            overrides["Logging:Console:FormatterOptions:IncludeScopes"] = include ? "true" : "false";
        }

        return Logging(HitPathServices.LoadConfiguration(overrides), logging => logging.AddConsole());
    }

    private static ServiceProvider Logging(IConfiguration configuration, Action<ILoggingBuilder> provider) =>
        new ServiceCollection()
            .AddLogging(logging =>
            {
                logging.AddConfiguration(configuration.GetSection("Logging"));
                provider(logging);
            })
            .BuildServiceProvider();

    /// <summary>The formatter and its IncludeScopes are what the benchmark's name says, read from the options the provider uses.</summary>
    private static void Check(ServiceProvider services, bool includeScopes)
    {
        var console = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var json = services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        if (console.FormatterName != ConsoleFormatterNames.Json || json.IncludeScopes != includeScopes)
        {
            throw new InvalidOperationException($"Console logger: formatter {console.FormatterName}, IncludeScopes {json.IncludeScopes}; expected json, {includeScopes}.");
        }
    }
}
