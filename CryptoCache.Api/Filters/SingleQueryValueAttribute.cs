using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace CryptoCache.Api.Filters;

/// <summary>
/// Rejects a repeated single-valued query parameter (<c>?coin=a&amp;coin=b</c>) with a 400 naming it, where MVC would
/// silently bind the first value and answer for a coin the caller may not have meant.
/// </summary>
/// <remarks>
/// A synchronous action filter only, not an <see cref="ActionFilterAttribute"/>: that one is an asynchronous action and
/// result filter too, and MVC then builds both stages' contexts, delegates and state machines for every request.
/// </remarks>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SingleQueryValueAttribute(params string[] names) : Attribute, IActionFilter
{
    private readonly string[] _names = names;

    public IReadOnlyList<string> Names => _names;

    public void OnActionExecuting(ActionExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.HttpContext.Request.Query;
        foreach (var name in _names)
        {
            if (query[name].Count > 1)
            {
                context.ModelState.AddModelError(name, "Give this parameter once.");
            }
        }

        if (!context.ModelState.IsValid)
        {
            var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
            var problem = factory.CreateValidationProblemDetails(context.HttpContext, context.ModelState, StatusCodes.Status400BadRequest,
                "One or more query parameters are invalid.");
            context.Result = new JsonResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentType = "application/problem+json" };
        }
    }

    public void OnActionExecuted(ActionExecutedContext context)
    {
    }
}
