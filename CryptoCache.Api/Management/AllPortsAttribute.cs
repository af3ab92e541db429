namespace CryptoCache.Api.Management;

/// <summary>Marks a controller served on the public and the management port alike (liveness).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllPortsAttribute : Attribute;
