using System.Reflection;
using System.Text.Json.Nodes;

namespace CryptoCache.FakeCoinGecko;

/// <summary>
/// What the fake knows, read once from the embedded fixtures (copies of shared/coingecko) and the fake's own
/// Data/extra-coins.json: coins with symbols, names and platforms, currencies, the fixture's prices.
/// </summary>
internal static class FakeCatalog
{
    public static IReadOnlyList<FakeCoin> Coins { get; } = ReadCoins();

    public static IReadOnlySet<string> Platforms { get; } =
        ReadResource("extra-coins.json")["platforms"]!.AsArray().Select(p => p!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> Currencies { get; } =
        ReadResource("supported-vs-currencies.json").AsArray().Select(c => c!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

    /// <summary>simple-price.json: coin → field → number (or null).</summary>
    public static JsonObject FixturePrices { get; } = ReadResource("simple-price.json").AsObject();

    private static readonly Dictionary<string, FakeCoin> ById = Coins.ToDictionary(c => c.Id, StringComparer.Ordinal);

    private static readonly ILookup<string, FakeCoin> BySymbol = Coins.ToLookup(c => c.Symbol, StringComparer.OrdinalIgnoreCase);

    private static readonly ILookup<string, FakeCoin> ByName = Coins.ToLookup(c => NormaliseName(c.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>(platform, lower-case address) → coin.</summary>
    private static readonly Dictionary<(string Platform, string Address), FakeCoin> ByContract = Coins
        .SelectMany(c => c.Platforms.Select(p => (Key: (p.Key, p.Value), Coin: c)))
        .ToDictionary(x => x.Key, x => x.Coin);

    public static FakeCoin? Find(string id) => ById.GetValueOrDefault(id);

    public static IEnumerable<FakeCoin> WithSymbol(string symbol) => BySymbol[symbol];

    /// <summary>Case-insensitive, runs of white space count as one space (names arrive URL-decoded).</summary>
    public static IEnumerable<FakeCoin> WithName(string name) => ByName[NormaliseName(name)];

    public static FakeCoin? WithContract(string platform, string lowerCaseAddress) => ByContract.GetValueOrDefault((platform, lowerCaseAddress));

    public static string ReadResourceText(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string NormaliseName(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static JsonNode ReadResource(string name) => JsonNode.Parse(ReadResourceText(name))!;

    /// <summary>The fixture's coins in its order, each with the extras' platforms and supply, then the extra coins.</summary>
    private static List<FakeCoin> ReadCoins()
    {
        var extras = ReadResource("extra-coins.json")["coins"]!.AsArray().Select(e => e!.AsObject()).ToDictionary(e => e["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var coins = new List<FakeCoin>();
        foreach (var fixture in ReadResource("coins-list.json").AsArray().Select(c => c!.AsObject()))
        {
            var id = fixture["id"]!.GetValue<string>();
            extras.Remove(id, out var extra);
            coins.Add(ToCoin(fixture, extra));
        }

        coins.AddRange(extras.Values.Select(extra => ToCoin(extra, extra)));
        return coins;
    }

    private static FakeCoin ToCoin(JsonObject listed, JsonObject? extra)
    {
        var platforms = extra?["platforms"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>().ToLowerInvariant(), StringComparer.Ordinal)
            ?? [];
        return new FakeCoin(listed["id"]!.GetValue<string>(), listed["symbol"]!.GetValue<string>(), listed["name"]!.GetValue<string>(), platforms)
        {
            Supply = extra?["supply"]?.GetValue<decimal>(),
        };
    }
}
