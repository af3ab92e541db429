using CryptoCache.Domain;

namespace CryptoCache.Application.Common.Exceptions;

/// <summary>The provider answered, and it has no price for this pair (an unknown coin id).</summary>
public sealed class PriceNotFoundException : Exception
{
    public PriceNotFoundException(PricePair pair)
        : base($"The provider has no price for coin '{pair.Coin}' in '{pair.Currency}'.")
    {
        Pair = pair;
    }

    public PriceNotFoundException()
        : base("The provider has no price for this pair.")
    {
    }

    public PriceNotFoundException(string message)
        : base(message)
    {
    }

    public PriceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PricePair? Pair { get; }
}
