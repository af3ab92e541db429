using CryptoCache.Application.Refresh;
using CryptoCache.Domain;

namespace CryptoCache.Tests.Application.Refresh;

public sealed class RefreshPlannerTests
{
    private static HotPair Hot(string coin, string currency, double popularity = 1) => new(new PricePair(CoinId.From(coin), Currency.From(currency)), popularity);

    private static Func<IReadOnlyList<CoinId>, IReadOnlyList<IReadOnlyList<CoinId>>> ByCount(int max) =>
        coins => coins.Chunk(max).Select(c => (IReadOnlyList<CoinId>)c).ToList();

    [Test]
    public void Plan_CoinsSharingTheirCurrencies_OneCallForAll()
    {
        var due = Enumerable.Range(1, 50).SelectMany(i => new[] { "usd", "eur", "gbp", "jpy" }.Select(c => Hot($"coin-{i}", c))).ToList();

        var plan = RefreshPlanner.Plan(due, ByCount(250), maxCalls: 30);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.Count.EqualTo(1), "200 pairs = 50 coins x 4 currencies: one call");
            Assert.That(plan[0].Coins, Has.Count.EqualTo(50));
            Assert.That(plan[0].Currencies.Select(c => c.Value), Is.EqualTo(new[] { "eur", "gbp", "jpy", "usd" }));
            Assert.That(plan[0].Pairs, Has.Count.EqualTo(200));
        }
    }

    [Test]
    public void Plan_MoreCoinsThanOneCallCarries_CallsByTheProvidersLimit()
    {
        var due = Enumerable.Range(1, 1000).Select(i => Hot($"coin-{i}", "usd")).ToList();

        var plan = RefreshPlanner.Plan(due, ByCount(250), maxCalls: 100);

        Assert.That(plan.Select(c => c.Coins.Count), Is.EqualTo(new[] { 250, 250, 250, 250 }));
    }

    [Test]
    public void Plan_LargeGroupsInDifferentCurrencies_NoUselessCrossProduct()
    {
        // 100 coins in usd only and 100 other coins in jpy only: one call of 200 coins x 2 currencies would fetch 200 useless pairs.
        var due = Enumerable.Range(1, 100).Select(i => Hot($"coin-{i}", "usd"))
            .Concat(Enumerable.Range(101, 100).Select(i => Hot($"coin-{i}", "jpy"))).ToList();

        var plan = RefreshPlanner.Plan(due, ByCount(250), maxCalls: 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.Count.EqualTo(2));
            Assert.That(plan.Select(c => c.Currencies.Count), Is.All.EqualTo(1));
        }
    }

    [Test]
    public void Plan_SmallGroupBesideALargeOne_FoldsInWhenItWastesLittle()
    {
        // 40 coins in usd+eur and 2 coins in usd only: folding the 2 in costs 2 useless pairs and saves a call.
        var due = Enumerable.Range(1, 40).SelectMany(i => new[] { Hot($"coin-{i}", "usd"), Hot($"coin-{i}", "eur") })
            .Concat([Hot("bitcoin", "usd"), Hot("ethereum", "usd")]).ToList();

        var plan = RefreshPlanner.Plan(due, ByCount(250), maxCalls: 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.Count.EqualTo(1));
            Assert.That(plan[0].Coins, Has.Count.EqualTo(42));
            Assert.That(plan[0].Pairs, Has.Count.EqualTo(82), "only the pairs asked for are refreshed");
        }
    }

    [Test]
    public void Plan_BudgetShort_MostAskedFirst()
    {
        var due = Enumerable.Range(1, 1000).Select(i => Hot($"coin-{i}", "usd", popularity: i)).ToList();

        var plan = RefreshPlanner.Plan(due, ByCount(250), maxCalls: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.Count.EqualTo(1));
            Assert.That(plan[0].Coins.Select(c => c.Value), Is.EquivalentTo(Enumerable.Range(751, 250).Select(i => $"coin-{i}")), "the 250 most asked coins");
            Assert.That(plan[0].Coins[0].Value, Is.EqualTo("coin-1000"), "most asked first within the call");
        }
    }

    [Test]
    public void PlanScarce_OneCallForTwoCurrencyGroups_TakesTheMostAskedOfBoth()
    {
        // 300 coins asked in usd only, 300 other coins in eur only; popularity mixes them. One call: the 250 most asked.
        var due = Enumerable.Range(1, 300).Select(i => Hot($"coin-{i}", "usd", popularity: 2 * i))
            .Concat(Enumerable.Range(301, 300).Select(i => Hot($"coin-{i}", "eur", popularity: (2 * (i - 300)) + 1))).ToList();

        var plan = RefreshPlanner.PlanScarce(due, due.Select(d => d.Pair).ToHashSet(), ByCount(250), maxCalls: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.Count.EqualTo(1));
            Assert.That(plan[0].Currencies.Select(c => c.Value), Is.EqualTo(new[] { "eur", "usd" }), "both groups' most asked share the call");
            Assert.That(plan[0].Coins.Select(c => c.Value), Does.Contain("coin-300").And.Contain("coin-600"));
            Assert.That(plan[0].Pairs, Has.Count.EqualTo(250), "only the pairs asked for are refreshed");
        }
    }

    [Test]
    public void PlanScarce_CallsWithoutADuePair_Skipped()
    {
        var hot = Enumerable.Range(1, 500).Select(i => Hot($"coin-{i}", "usd", popularity: i)).ToList();
        var due = new HashSet<PricePair> { hot[0].Pair }; // the least asked one

        var plan = RefreshPlanner.PlanScarce(hot, due, ByCount(250), maxCalls: 1);

        Assert.That(plan.Single().Coins.Select(c => c.Value), Does.Contain("coin-1"), "the call that carries the due pair");
    }

    [Test]
    public void Plan_NoBudget_NoCalls() =>
        Assert.That(RefreshPlanner.Plan([Hot("bitcoin", "usd")], ByCount(250), maxCalls: 0), Is.Empty);

    [Test]
    public void Plan_RespectsTheProvidersPartition()
    {
        var due = Enumerable.Range(1, 10).Select(i => Hot($"coin-{i}", "usd")).ToList();

        var plan = RefreshPlanner.Plan(due, ByCount(3), maxCalls: 10);

        Assert.That(plan.Select(c => c.Coins.Count).Order(), Is.EqualTo(new[] { 1, 3, 3, 3 }));
    }
}
