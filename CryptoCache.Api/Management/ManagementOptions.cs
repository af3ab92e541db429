using System.ComponentModel.DataAnnotations;

namespace CryptoCache.Api.Management;

/// <summary>The operators' port: metrics, readiness and cache admin, never served on the public port.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>Port of the management endpoints, on the same host as the public URL; 0 turns them off.</summary>
    [Range(0, 65_535), Display(Name = "Management:Port")]
    public int Port { get; set; } = 9090;
}
