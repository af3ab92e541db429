using CryptoCache.Api.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoCache.Tests.Api;

/// <summary>The branch that serves the OpenAPI document and UI: built by its first request, not at startup.</summary>
public sealed class LazyBranchTests
{
    [Test]
    public async Task UseWhenLazily_BuildsTheBranchAtItsFirstRequestOnly()
    {
        var builds = 0;
        var pipeline = Pipeline(branch =>
        {
            builds++;
            branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return Task.CompletedTask;
            });
        });
        var other = await SendAsync(pipeline, "/price");
        var buildsBeforeTheBranch = builds;
        var first = await SendAsync(pipeline, "/swagger/index.html");
        var second = await SendAsync(pipeline, "/swagger/v1/swagger.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buildsBeforeTheBranch, Is.Zero, "built before any request took the branch");
            Assert.That(builds, Is.EqualTo(1), "built once, then reused");
            Assert.That(other, Is.EqualTo(StatusCodes.Status418ImATeapot), "a request outside the branch goes down the main pipeline");
            Assert.That((first, second), Is.EqualTo((StatusCodes.Status200OK, StatusCodes.Status200OK)));
        }
    }

    [Test]
    public async Task UseWhenLazily_WhatTheBranchDoesNotAnswer_GoesOnDownTheMainPipeline()
    {
        var pipeline = Pipeline(branch => branch.Use(next => context =>
        {
            context.Response.Headers["X-Branch"] = "seen";
            return next(context);
        }));

        var context = new DefaultHttpContext();
        context.Request.Path = "/swagger/unknown";
        await pipeline(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status418ImATeapot));
            Assert.That(context.Response.Headers["X-Branch"].ToString(), Is.EqualTo("seen"));
        }
    }

    /// <summary>The branch under /swagger, lazily; the main pipeline ends in 418 so that reaching it shows.</summary>
    private static RequestDelegate Pipeline(Action<IApplicationBuilder> branch)
    {
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        app.UseWhenLazily(context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), branch);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            return Task.CompletedTask;
        });
        return app.Build();
    }

    private static async Task<int> SendAsync(RequestDelegate pipeline, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        await pipeline(context);
        return context.Response.StatusCode;
    }
}
