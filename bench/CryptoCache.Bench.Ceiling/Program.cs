using System.Text.Json;
using System.Text.Json.Serialization;
using CryptoCache.Bench.Ceiling;

// Two references for the hit path, served the way the API serves it (Kestrel, same logging levels):
//   GET /price?coin=&currency=  MVC controller with the API's query binding, returning a constant DTO of the API's
//                               fields (the ceiling), the API's own answer when Ceiling:PriceBodyFile names it;
//   GET /minimal                minimal API returning the same constant DTO (the framework's own reference);
//   GET /api/v3/simple/price?ids=&vs_currencies=&...  MVC controller binding CoinGecko's parameters, returning a constant
//                               coin → currency → price dictionary (the ceiling of the CoinGecko-compatible route).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddControllers()
    .AddJsonOptions(o => o.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJsonContext.Default));
builder.Services.AddSingleton<PriceBody>();
builder.Services.AddSingleton<SimplePriceBody>();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJsonContext.Default));

var app = builder.Build();
// A bad body file fails the start, not the first request.
var price = app.Services.GetRequiredService<PriceBody>().Price;
_ = app.Services.GetRequiredService<SimplePriceBody>();
app.MapGet("/minimal", () => TypedResults.Ok(price));
app.MapGet("/health", () => TypedResults.Ok(new Health("Healthy")));
app.MapControllers();
await app.RunAsync();

internal sealed record Health(string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CeilingPriceDto))]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, decimal?>>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, Dictionary<string, decimal?>>))]
internal sealed partial class CeilingJsonContext : JsonSerializerContext;
