using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace CryptoCache.Application.Common.Options;

/// <summary>
/// Fair share of the provider budget between clients, and optional client keys. A client is its key (X-Api-Key, or a
/// CoinGecko key header or parameter on <c>/api/v3</c>), else its remote address.
/// </summary>
public sealed class ClientsOptions : IValidatableObject
{
    public const string SectionName = "Clients";

    /// <summary>Cold pairs (nothing cached, a provider call needed) one client may ask for in any 60 s; 0: no limit.</summary>
    [Range(0, 1_000_000), Display(Name = "Clients:MaxColdPairsPerMinute")]
    public int MaxColdPairsPerMinute { get; set; } = 200;

    /// <summary>Most of the provider budget one client's misses may ride on in any 60 s (at least one call); 1: no cap.</summary>
    [Range(0.01, 1.0), Display(Name = "Clients:MaxBudgetShare")]
    public double MaxBudgetShare { get; set; } = 0.5;

    /// <summary>
    /// Client keys, each <c>name:secret</c> or <c>name:secret:maxColdPairsPerMinute</c>; env <c>Clients__ApiKeys__0</c>…
    /// or one comma-separated value. Empty (the default): no key is required.
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>The parsed keys; only meaningful once validated.</summary>
    public IReadOnlyList<ClientKey> Keys => [.. Entries().Select(e => ClientKey.TryParse(e, out var key) ? key : null).OfType<ClientKey>()];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var entries = Entries().ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Length; i++)
        {
            // The message names the entry by its position, never by its content: it may hold a secret.
            var at = string.Create(CultureInfo.InvariantCulture, $"Clients:ApiKeys entry {i}");
            if (!ClientKey.TryParse(entries[i], out var key))
            {
                yield return new ValidationResult(
                    $"{at} must be name:secret or name:secret:maxColdPairsPerMinute (name: letters, digits, '-', '_', '.'; secret: at least {ClientKey.MinSecretLength} of those; limit: 0-1000000).",
                    [nameof(ApiKeys)]);
            }
            else if (!names.Add(key.Name))
            {
                yield return new ValidationResult($"{at} repeats the name '{key.Name}'.", [nameof(ApiKeys)]);
            }
            else if (!secrets.Add(key.Secret))
            {
                yield return new ValidationResult($"{at} repeats the secret of another entry.", [nameof(ApiKeys)]);
            }
        }
    }

    private IEnumerable<string> Entries() =>
        ApiKeys.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
