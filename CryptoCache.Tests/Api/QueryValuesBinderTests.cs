using CryptoCache.Api.CoinGecko;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CryptoCache.Tests.Api;

/// <summary>The binder of the CoinGecko-compatible string[] parameters: the raw values of one query-string key.</summary>
public sealed class QueryValuesBinderTests
{
    [TestCase("?ids=bitcoin,ethereum", new[] { "bitcoin,ethereum" })]
    [TestCase("?IDS=bitcoin", new[] { "bitcoin" })]
    [TestCase("?ids=", new[] { "" })]
    [TestCase("?ids=bitcoin&ids=ethereum", new[] { "bitcoin", "ethereum" })]
    [TestCase("?ids=bit%2Ccoin", new[] { "bit,coin" })]
    public async Task BindModel_KeyPresent_ItsValuesAsTheyArrived(string query, string[] expected)
    {
        var context = Context(query, "ids");

        await new QueryValuesBinder().BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result.IsModelSet, Is.True);
            Assert.That(context.Result.Model, Is.EqualTo(expected));
        }
    }

    [TestCase("")]
    [TestCase("?names=bitcoin")]
    [TestCase("?ids[0]=bitcoin")]
    public async Task BindModel_KeyAbsent_LeavesTheParameterUnset(string query)
    {
        var context = Context(query, "ids");

        await new QueryValuesBinder().BindModelAsync(context);

        Assert.That(context.Result.IsModelSet, Is.False);
    }

    [Test]
    public void BindingSource_IsTheQueryToApiExplorerAndGreedyToBinding()
    {
        var source = new QueryValuesAttribute("ids").BindingSource;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(source, Is.EqualTo(BindingSource.Query), "the OpenAPI document says in: query");
            Assert.That(source.IsGreedy, Is.True, "no query-only value provider is built per parameter");
        }
    }

    [TestCase("?vs_currencies=usd", true)]
    [TestCase("?VS_CURRENCIES=", true)]
    [TestCase("?ids=bitcoin", false)]
    [TestCase("", false)]
    public void RequestPredicate_Query_BindsOnlyWhenTheKeyIsThere(string query, bool binds) =>
        Assert.That(new QueryValuesAttribute("vs_currencies").RequestPredicate(Context(query, "vs_currencies").ActionContext), Is.EqualTo(binds));

    private static DefaultModelBindingContext Context(string query, string name)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        return new DefaultModelBindingContext
        {
            ActionContext = new Microsoft.AspNetCore.Mvc.ActionContext { HttpContext = http },
            ModelName = name,
        };
    }
}
