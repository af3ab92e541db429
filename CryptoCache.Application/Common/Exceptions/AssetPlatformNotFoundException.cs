namespace CryptoCache.Application.Common.Exceptions;

/// <summary>The provider's coin list names no such asset platform.</summary>
public sealed class AssetPlatformNotFoundException : Exception
{
    public AssetPlatformNotFoundException()
        : base("asset platform not found")
    {
    }

    public AssetPlatformNotFoundException(string message)
        : base(message)
    {
    }

    public AssetPlatformNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
