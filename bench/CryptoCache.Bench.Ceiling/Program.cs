using System.Text.Json;
using System.Text.Json.Serialization;
using CryptoCache.Bench.Ceiling;

// Two references for the hit path, served the way the API serves it (Kestrel, same logging levels):
//   GET /price?coin=&currency=  MVC controller with the API's query binding, returning a constant DTO (the ceiling);
//   GET /minimal                minimal API returning the same constant DTO (the framework's own reference).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddControllers()
    .AddJsonOptions(o => o.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJsonContext.Default));
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJsonContext.Default));

var app = builder.Build();
app.MapGet("/minimal", () => TypedResults.Ok(PriceController.Constant));
app.MapGet("/health", () => TypedResults.Ok(new Health("Healthy")));
app.MapControllers();
await app.RunAsync();

internal sealed record Health(string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CeilingPriceDto))]
[JsonSerializable(typeof(Health))]
internal sealed partial class CeilingJsonContext : JsonSerializerContext;
