namespace CryptoCache.Api.Configuration;

/// <summary>Browser origins allowed to call the public API (a front end on another origin). None by default.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins, e.g. <c>https://app.example.com</c>; env <c>Cors__AllowedOrigins__0</c>, <c>__1</c>… or one comma-separated value.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public string[] Origins => AllowedOrigins.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
