namespace CryptoCache.Api.Configuration;

/// <summary>A branch of the request pipeline built by its first request rather than at startup.</summary>
internal static class LazyBranchExtensions
{
    /// <summary>
    /// Like <c>UseWhen</c>, but the branch's middlewares are built when a request first takes it. NSwag's document and
    /// UI middlewares load NSwag, NJsonSchema, Newtonsoft.Json and Microsoft.CSharp and run their setup when built:
    /// about 3 MiB of every replica's memory, for pages most replicas never serve.
    /// </summary>
    public static IApplicationBuilder UseWhenLazily(this IApplicationBuilder app, Func<HttpContext, bool> predicate, Action<IApplicationBuilder> configuration)
    {
        var branchBuilder = app.New();
        return app.Use(next =>
        {
            var branch = new Lazy<RequestDelegate>(() =>
            {
                configuration(branchBuilder);
                branchBuilder.Run(next); // as UseWhen: what the branch does not answer goes on down the main pipeline
                return branchBuilder.Build();
            }, LazyThreadSafetyMode.ExecutionAndPublication);
            return context => predicate(context) ? branch.Value(context) : next(context);
        });
    }
}
