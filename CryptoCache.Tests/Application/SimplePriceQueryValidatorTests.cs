using CryptoCache.Application.CoinGecko.SimplePrice;
using CryptoCache.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace CryptoCache.Tests.Application;

/// <summary>
/// <c>/simple/price</c>'s validator shortcut must never call valid what its rules reject, and must spare the usual
/// request (ids and currencies, perhaps flags and a precision) the rules.
/// </summary>
public sealed class SimplePriceQueryValidatorTests
{
    private static readonly SimplePriceQueryValidator Validator = new(Options.Create(new CoinGeckoApiOptions { MaxIds = 3, MaxVsCurrencies = 2 }));

    private static string[]? V(params string[]? values) => values;

    /// <summary>Requests valid and invalid in every parameter the shortcut reads, and some it leaves to the rules.</summary>
    private static IEnumerable<SimplePriceQuery> Inputs()
    {
        string[]?[] ids = [null, V(), V(""), V("bitcoin"), V("bitcoin,ethereum"), V("bitcoin", "ethereum"), V("bitcoin,eth ereum"), V("a,b,c,d"), V(" , "), V("bitcoin,")];
        string[]?[] currencies = [null, V(""), V("usd"), V("usd,eur"), V("usd,eur,jpy"), V("usd", "eur"), V("u"), V("us1")];
        string[]?[] flags = [null, V("true"), V("FALSE"), V("yes"), V("true", "true"), V("")];
        string[]?[] precisions = [null, V("full"), V("2"), V("18"), V("19"), V("-1"), V("2", "3"), V("")];
        foreach (var id in ids)
        {
            foreach (var currency in currencies)
            {
                foreach (var flag in flags)
                {
                    foreach (var precision in precisions)
                    {
                        yield return new SimplePriceQuery(id, null, null, null, currency, flag, null, flag, null, precision);
                    }
                }
            }
        }

        yield return new SimplePriceQuery(V("bitcoin"), V("Bitcoin"), null, null, V("usd"), null, null, null, null, null);
        yield return new SimplePriceQuery(null, null, V("btc"), V("all"), V("usd"), null, null, null, null, null);
        yield return new SimplePriceQuery(V("bitcoin"), null, null, V("top"), V("usd"), null, null, null, null, null);
        yield return new SimplePriceQuery(V("bitcoin"), null, null, null, V("usd"), null, V("maybe"), null, V("true"), null);
    }

    [Test]
    public void IsCertainlyValid_WhenTrue_TheRulesPassToo()
    {
        var certain = 0;
        using (Assert.EnterMultipleScope())
        {
            foreach (var query in Inputs())
            {
                if (!Validator.IsCertainlyValid(query))
                {
                    continue;
                }

                certain++;
                var result = Validator.Validate(query);
                Assert.That(result.IsValid, Is.True, $"shortcut said valid, rules said: {result}; {Describe(query)}");
            }
        }

        Assert.That(certain, Is.GreaterThan(50), "the shortcut takes the usual requests");
    }

    [Test]
    public void IsCertainlyValid_WhenTheRulesPassForIds_IsTrueToo()
    {
        // The converse for the requests the shortcut is meant for (ids, nothing by names or symbols): no valid one is left
        // to the slow path.
        using (Assert.EnterMultipleScope())
        {
            foreach (var query in Inputs().Where(q => q is { Names: null, Symbols: null, IncludeTokens: null }))
            {
                if (Validator.Validate(query).IsValid)
                {
                    Assert.That(Validator.IsCertainlyValid(query), Is.True, Describe(query));
                }
            }
        }
    }

    [Test]
    public void IsCertainlyValid_ByNamesOrSymbols_LeftToTheRules()
    {
        var query = new SimplePriceQuery(null, V("Bitcoin"), null, null, V("usd"), null, null, null, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validator.Validate(query).IsValid, Is.True);
            Assert.That(Validator.IsCertainlyValid(query), Is.False);
        }
    }

    private static string Describe(SimplePriceQuery q) =>
        $"ids={Show(q.Ids)} vs={Show(q.VsCurrencies)} cap={Show(q.IncludeMarketCap)} change={Show(q.Include24hrChange)} precision={Show(q.Precision)}";

    private static string Show(IReadOnlyList<string>? values) => values is null ? "(absent)" : $"[{string.Join("|", values)}]";
}
