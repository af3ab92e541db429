namespace CryptoCache.Application.Currencies;

/// <summary>The quote currencies the provider supports.</summary>
public sealed record CurrencyListDto
{
    /// <summary>Lower-case codes, as <c>currency</c> accepts them.</summary>
    public required IReadOnlyList<string> Currencies { get; init; }
}
