using CryptoCache.Domain;

namespace CryptoCache.Application.Abstractions;

/// <summary>A token contract on an asset platform, priced in one currency: the cache key of a token price.</summary>
/// <param name="Platform">Asset platform id, lower-case (e.g. <c>ethereum</c>).</param>
/// <param name="Address">Contract address, lower-case <c>0x</c> + 40 hex digits.</param>
/// <param name="Currency">The quote currency.</param>
public readonly record struct TokenPair(string Platform, string Address, Currency Currency);
