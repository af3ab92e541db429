using System.Text.Json;
using System.Text.Json.Serialization;
using CryptoCache.Api.CoinGecko;
using CryptoCache.Api.Controllers;
using CryptoCache.Application.Admin.GetCacheStats;
using CryptoCache.Application.Admin.PurgePrices;
using CryptoCache.Application.Currencies;
using CryptoCache.Application.Prices;

namespace CryptoCache.Api.Serialization;

/// <summary>
/// Serialisation code generated at build time for every body the controllers return, so that no answer is written
/// through reflection-built metadata. Same settings as MVC's (web defaults: camelCase); other types fall through to
/// the reflection resolver behind it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PriceDto))]
[JsonSerializable(typeof(PriceListDto))]
[JsonSerializable(typeof(CurrencyListDto))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(CacheStatsDto))]
[JsonSerializable(typeof(PurgeResultDto))]
[JsonSerializable(typeof(PingDto))]
[JsonSerializable(typeof(CoinGeckoErrorDto))]
[JsonSerializable(typeof(CoinGeckoRateLimitDto))]
[JsonSerializable(typeof(IReadOnlyList<CryptoCache.Application.CoinGecko.CoinsList.CoinListItemDto>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
