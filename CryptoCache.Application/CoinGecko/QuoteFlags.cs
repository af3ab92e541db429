namespace CryptoCache.Application.CoinGecko;

/// <summary>What a client asked to see of each quote.</summary>
internal readonly record struct QuoteFlags(bool MarketCap, bool Volume, bool Change, bool LastUpdated, int? Precision)
{
    public static QuoteFlags From(IQuoteRequest request)
    {
        CoinGeckoRules.TryPrecision(CoinGeckoRules.Value(request.Precision), out var precision);
        return new(
            CoinGeckoRules.Flag(request.IncludeMarketCap),
            CoinGeckoRules.Flag(request.Include24hrVol),
            CoinGeckoRules.Flag(request.Include24hrChange),
            CoinGeckoRules.Flag(request.IncludeLastUpdatedAt),
            precision);
    }
}
