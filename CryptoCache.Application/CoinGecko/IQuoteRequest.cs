namespace CryptoCache.Application.CoinGecko;

/// <summary>The parameters <c>/simple/price</c> and <c>/simple/token_price</c> share, each as the raw values of the query string.</summary>
public interface IQuoteRequest
{
    IReadOnlyList<string>? VsCurrencies { get; }

    IReadOnlyList<string>? IncludeMarketCap { get; }

    IReadOnlyList<string>? Include24hrVol { get; }

    IReadOnlyList<string>? Include24hrChange { get; }

    IReadOnlyList<string>? IncludeLastUpdatedAt { get; }

    IReadOnlyList<string>? Precision { get; }
}
