using CryptoCache.Application.CoinGecko.Models;
using CryptoCache.Application.Prices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Net.Http.Headers;

namespace CryptoCache.Api.Filters;

/// <summary>
/// Tells HTTP caches and clients how fresh a price answer is: <c>Cache-Control: max-age</c> is the freshness left,
/// <c>Age</c> the seconds since the provider gave it. A batch answer is as fresh as its stalest price. CoinGecko-compatible
/// answers carry <c>Cache-Status</c> (RFC 9211) and <c>Age</c> instead: their clients know no <c>stale</c> field.
/// </summary>
internal sealed class FreshnessHeadersFilter : IResultFilter
{
    public const string CacheStatus = "Cache-Status";

    /// <summary>Header values for ages and freshness up to an hour, built once: every price answer carries two.</summary>
    private const int Cached = 3_600;

    private static readonly string[] SecondsValues = [.. Enumerable.Range(0, Cached + 1).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly string[] MaxAgeValues = [.. SecondsValues.Select(s => "public, max-age=" + s)];

    public void OnResultExecuting(ResultExecutingContext context)
    {
        (int FreshFor, int Age)? freshness = (context.Result as ObjectResult)?.Value switch
        {
            PriceDto price => (price.FreshForSeconds, price.AgeSeconds),
            PriceListDto { Prices.Count: > 0 } list => (list.Prices.Min(p => p.FreshForSeconds), list.Prices.Max(p => p.AgeSeconds)),
            _ => null,
        };

        if ((context.Result as ObjectResult)?.Value is CoinGeckoPriceMap { Freshness: { } served })
        {
            // RFC 9211: served from the cache (hit), stale from the cache, or forwarded to the provider for a miss.
            var headers = context.HttpContext.Response.Headers;
            headers[CacheStatus] = served.Stale ? "CryptoCache; hit; detail=stale" : served.Fetched ? "CryptoCache; fwd=miss" : "CryptoCache; hit";
            headers[HeaderNames.Age] = Seconds(served.AgeSeconds);
            return;
        }

        if (freshness is var (freshFor, age))
        {
            var headers = context.HttpContext.Response.Headers;
            headers[HeaderNames.CacheControl] = MaxAge(freshFor);
            headers[HeaderNames.Age] = Seconds(age);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }

    private static string Seconds(int seconds) =>
        (uint)seconds <= Cached ? SecondsValues[seconds] : seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string MaxAge(int seconds) =>
        (uint)seconds <= Cached ? MaxAgeValues[seconds] : "public, max-age=" + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
