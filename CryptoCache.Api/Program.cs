using CryptoCache.Api;
using CryptoCache.Application;
using CryptoCache.Infrastructure;

// Content root beside the binaries, so appsettings.json is found whatever the working directory.
WebApplicationBuilder builder;
try
{
    builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
}
catch (InvalidDataException ex)
{
    return CryptoCache.Api.DependencyInjection.ExplainUnreadableConfiguration(ex);
}

var urls = builder.AddSeedConventions();
builder.Services
    .AddApi(builder.Configuration, urls)
    .AddApplication()
    .AddInfrastructure(builder.Configuration);

var app = builder.Build();
app.UseApi();
return await app.RunOrExplainAsync();

/// <summary>Visible to the tests.</summary>
public partial class Program;
