namespace CryptoCache.Api.ErrorHandling;

/// <summary>
/// Gives an error answer with no body (an unknown route's 404, a wrong method's 405) a problem details body, as
/// <c>UseStatusCodePages</c> does with the problem details service. Ours because that middleware builds a feature and
/// an items dictionary for every request, the hit path included, to serve the few that end in an empty error.
/// </summary>
internal sealed class EmptyErrorProblems(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context).ConfigureAwait(false);

        var response = context.Response;
        if (response.HasStarted || response.StatusCode is < 400 or > 599 || response.ContentLength.HasValue || !string.IsNullOrEmpty(response.ContentType))
        {
            return;
        }

        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = response.StatusCode },
        }).ConfigureAwait(false);
    }
}
