using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Infrastructure.CoinGecko;

/// <summary>How to reach CoinGecko. Documented in README.md.</summary>
internal sealed class CoinGeckoOptions : IValidatableObject
{
    public const string SectionName = "CoinGecko";
    public const string DemoPlan = "demo";
    public const string ProPlan = "pro";

    /// <summary>Base URL of API v3; empty takes the plan's public host.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>API key, sent in the plan's header; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>demo</c> (also keyless) or <c>pro</c>: picks the key header and the default host.</summary>
    public string Plan { get; set; } = DemoPlan;

    /// <summary>Seconds one provider call may take, retries included.</summary>
    [Range(1, 120), Display(Name = "CoinGecko:TimeoutSeconds")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a call that failed with a 5xx or a connection error (each retry spends budget too).</summary>
    [Range(0, 5), Display(Name = "CoinGecko:MaxRetries")]
    public int MaxRetries { get; set; } = 1;

    /// <summary>Seconds the circuit stays open after repeated failures, during which nothing is sent.</summary>
    [Range(1, 3_600), Display(Name = "CoinGecko:CircuitBreakSeconds")]
    public int CircuitBreakSeconds { get; set; } = 15;

    public bool IsPro => string.Equals(Plan, ProPlan, StringComparison.OrdinalIgnoreCase);

    public Uri EffectiveBaseUrl
    {
        get
        {
            var url = string.IsNullOrWhiteSpace(BaseUrl)
                ? (IsPro ? "https://pro-api.coingecko.com/api/v3/" : "https://api.coingecko.com/api/v3/")
                : BaseUrl;
            return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
        }
    }

    public string KeyHeader => IsPro ? "x-cg-pro-api-key" : "x-cg-demo-api-key";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.Equals(Plan, DemoPlan, StringComparison.OrdinalIgnoreCase) && !IsPro)
        {
            yield return new ValidationResult("CoinGecko:Plan must be 'demo' or 'pro'.", [nameof(Plan)]);
        }

        if (!string.IsNullOrWhiteSpace(BaseUrl)
            && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("CoinGecko:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }
}
