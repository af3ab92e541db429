using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CryptoCache.Api.CoinGecko;

/// <summary>
/// <c>[FromQuery]</c> for a <c>string[]</c> parameter of the CoinGecko-compatible paths, bound by
/// <see cref="QueryValuesBinder"/>: the same values and the same OpenAPI parameter, without MVC's collection binder.
/// </summary>
/// <remarks>
/// The collection binder looks for <c>ids[0]</c>, <c>ids[1]</c>… under every parameter that is absent, building a
/// binding scope, a value provider and a list each time; <c>/simple/price</c> has ten such parameters, most of them
/// absent on any request, and that search was a third of the allocations of a cached answer. CoinGecko has no indexed
/// form, so nothing is lost.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class QueryValuesAttribute : FromQueryAttribute, IBinderTypeProviderMetadata
{
    public Type BinderType => typeof(QueryValuesBinder);
}
