using System.ComponentModel.DataAnnotations;
using CryptoCache.Domain;

namespace CryptoCache.Application.Common.Options;

/// <summary>Defaults for a price request that names no coin or currency (seed env DEFAULT_COIN, DEFAULT_CURRENCY).</summary>
public sealed class PricesOptions : IValidatableObject
{
    public const string SectionName = "Prices";

    [Required, Display(Name = "Prices:DefaultCoin")]
    public string DefaultCoin { get; set; } = "bitcoin";

    [Required, Display(Name = "Prices:DefaultCurrency")]
    public string DefaultCurrency { get; set; } = "usd";

    /// <summary>Most coins one batch request may ask for.</summary>
    [Range(1, 1_000), Display(Name = "Prices:MaxBatchCoins")]
    public int MaxBatchCoins { get; set; } = 100;

    /// <summary>Most currencies one batch request may ask for.</summary>
    [Range(1, 100), Display(Name = "Prices:MaxBatchCurrencies")]
    public int MaxBatchCurrencies { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CoinId.TryFrom(DefaultCoin, out _))
        {
            yield return new ValidationResult("Prices:DefaultCoin (DEFAULT_COIN) must be a CoinGecko coin id: letters, digits and hyphens, 1-100 characters.", [nameof(DefaultCoin)]);
        }

        if (!Currency.TryFrom(DefaultCurrency, out _))
        {
            yield return new ValidationResult("Prices:DefaultCurrency (DEFAULT_CURRENCY) must be a currency code of 2-10 letters.", [nameof(DefaultCurrency)]);
        }
    }
}
