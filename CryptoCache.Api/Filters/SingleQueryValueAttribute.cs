using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace CryptoCache.Api.Filters;

/// <summary>
/// Rejects a repeated single-valued query parameter (<c>?coin=a&amp;coin=b</c>) with a 400 naming it, where MVC would
/// silently bind the first value and answer for a coin the caller may not have meant.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SingleQueryValueAttribute(params string[] names) : ActionFilterAttribute
{
    public IReadOnlyList<string> Names { get; } = names;

    public override void OnActionExecuting(ActionExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.HttpContext.Request.Query;
        foreach (var name in Names.Where(n => query[n].Count > 1))
        {
            context.ModelState.AddModelError(name, "Give this parameter once.");
        }

        if (!context.ModelState.IsValid)
        {
            var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
            var problem = factory.CreateValidationProblemDetails(context.HttpContext, context.ModelState, StatusCodes.Status400BadRequest,
                "One or more query parameters are invalid.");
            context.Result = new JsonResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentType = "application/problem+json" };
        }
    }
}
