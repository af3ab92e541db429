using System.Text.Json;

namespace CryptoCache.Bench.Ceiling;

/// <summary>
/// The constant answer of the ceiling's <c>/api/v3/simple/price</c>: read once at start from the file named by
/// <c>Ceiling:SimplePriceBodyFile</c> (bench/run.sh writes there the API's own answer, so that both write the same
/// body), otherwise the fake CoinGecko's prices for bitcoin and ethereum in usd and eur.
/// </summary>
public sealed class SimplePriceBody
{
    private static readonly Dictionary<string, Dictionary<string, decimal?>> FakePrices = new(StringComparer.Ordinal)
    {
        ["bitcoin"] = new(StringComparer.Ordinal) { ["usd"] = 67187.3358936566m, ["eur"] = 61989.2250541132m },
        ["ethereum"] = new(StringComparer.Ordinal) { ["usd"] = 3459.62m, ["eur"] = 3192.07m },
    };

    public SimplePriceBody(IConfiguration configuration)
    {
        var file = configuration["Ceiling:SimplePriceBodyFile"];
        Prices = string.IsNullOrEmpty(file)
            ? FakePrices
            : JsonSerializer.Deserialize(File.ReadAllText(file), CeilingJsonContext.Default.DictionaryStringDictionaryStringNullableDecimal)
              ?? throw new InvalidOperationException($"{file} holds no price object");
    }

    public IReadOnlyDictionary<string, Dictionary<string, decimal?>> Prices { get; }
}
