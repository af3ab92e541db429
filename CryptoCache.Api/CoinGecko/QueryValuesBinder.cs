using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CryptoCache.Api.CoinGecko;

/// <summary>
/// Binds a <c>string[]</c> parameter to the raw values of its query-string key, as they arrived (an empty value stays
/// empty, a repeated key gives one item per repetition); an absent key leaves it null. See <see cref="QueryValuesAttribute"/>.
/// </summary>
internal sealed class QueryValuesBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        if (bindingContext.HttpContext.Request.Query.TryGetValue(bindingContext.ModelName, out var values) && values.Count > 0)
        {
            bindingContext.Result = ModelBindingResult.Success(values.ToArray());
        }

        return Task.CompletedTask;
    }
}
