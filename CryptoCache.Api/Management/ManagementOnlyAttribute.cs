namespace CryptoCache.Api.Management;

/// <summary>Marks a controller served on the management port only.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ManagementOnlyAttribute : Attribute;
