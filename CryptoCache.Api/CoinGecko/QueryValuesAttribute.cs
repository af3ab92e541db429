using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CryptoCache.Api.CoinGecko;

/// <summary>
/// <c>[FromQuery]</c> for a <c>string[]</c> parameter of the CoinGecko-compatible paths, bound by
/// <see cref="QueryValuesBinder"/>: the same values and the same OpenAPI parameter, at a fraction of MVC's cost.
/// </summary>
/// <remarks>
/// <c>/simple/price</c> has ten such parameters, most of them absent on any request. MVC's collection binder searched
/// for <c>ids[0]</c>, <c>ids[1]</c>… under each absent one, building a binding context, a filtered value provider and a
/// list every time: binding was half the allocations of a cached answer. Here an absent parameter costs one look-up
/// (<see cref="RequestPredicate"/>), and a present one a binding context and its values. CoinGecko has no indexed form,
/// so nothing is lost.
/// </remarks>
/// <param name="name">
/// The query-string key. Always given, even when it is the parameter's name: with a name, MVC binds the parameter
/// without first asking every value provider (route values included) whether the request holds it.
/// </param>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class QueryValuesAttribute(string name) : Attribute, IBindingSourceMetadata, IModelNameProvider, IBinderTypeProviderMetadata, IRequestPredicateProvider
{
    /// <summary>
    /// The query, read by the binder itself, as MVC's own header binding reads the headers: a greedy source, so that MVC
    /// does not build a query-only value provider for each parameter that the binder would never look at. Binding
    /// sources are compared by id, so ApiExplorer (and the OpenAPI document) see this as <see cref="BindingSource.Query"/>.
    /// </summary>
    public static readonly BindingSource Source = new(BindingSource.Query.Id, BindingSource.Query.DisplayName, isGreedy: true, isFromRequest: true);

    public BindingSource BindingSource => Source;

    public string Name => name;

    public Type BinderType => typeof(QueryValuesBinder);

    /// <summary>
    /// Binds only when the query has the key. MVC asks this before it builds anything for the parameter, and leaves a
    /// parameter it declines null, as the binder would.
    /// </summary>
    public Func<ActionContext, bool> RequestPredicate { get; } = context => context.HttpContext.Request.Query.ContainsKey(name);
}
