using CryptoCache.Application.Abstractions;
using CryptoCache.Infrastructure.Budget;
using CryptoCache.Infrastructure.CoinGecko;
using CryptoCache.Infrastructure.Redis;
using CryptoCache.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CryptoCache.Tests.Infrastructure;

/// <summary>
/// The shared provider budget's calls taken ahead (a batch takes its call's budget together with its claim), on a real
/// redis-server, and the budget handler that spends them: each call is counted once, whichever way it is paid.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisProviderBudgetTests
{
    private const int Limit = 5;

    private RedisServer _redis = null!;
    private RedisConnection _connection = null!;
    private RedisProviderBudget _budget = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = new RedisConnection(Options.Create(new RedisOptions { ConnectionString = _redis.Url }), NullLogger<RedisConnection>.Instance);
        _budget = new RedisProviderBudget(_connection, Options.Create(new ProviderLimitsOptions { MaxCallsPerMinute = Limit }), TimeProvider.System,
            NullLogger<RedisProviderBudget>.Instance);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [SetUp]
    public Task FlushAsync() => _redis.FlushAsync();

    [Test]
    public async Task ReserveAsync_MoreLeftThanKeptBack_TakesTheCallNow()
    {
        var reservation = await _budget.ReserveAsync(_ => 2, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reservation.KeptBack, Is.False);
            Assert.That(reservation.Handle, Is.InstanceOf<PrepaidCall>());
            Assert.That(reservation.Budget.Remaining, Is.EqualTo(Limit - 1));
            Assert.That((await _budget.PeekAsync(CancellationToken.None)).Remaining, Is.EqualTo(Limit - 1), "taken in the shared log");
        }
    }

    [Test]
    public async Task ReserveAsync_NoMoreLeftThanKeptBack_TakesNothing()
    {
        for (var i = 0; i < Limit - 2; i++)
        {
            Assert.That((await _budget.TryAcquireAsync(CancellationToken.None)).Allowed, Is.True);
        }

        var keptFor = 0;
        var reservation = await _budget.ReserveAsync(limit => { keptFor = limit; return 2; }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keptFor, Is.EqualTo(Limit), "asked what to keep back of the shared limit");
            Assert.That(reservation.KeptBack, Is.True);
            Assert.That(reservation.Handle, Is.Null);
            Assert.That((await _budget.PeekAsync(CancellationToken.None)).Remaining, Is.EqualTo(2), "nothing taken");
        }
    }

    [Test]
    public async Task CancelAsync_CallTakenAhead_GivenBack()
    {
        var reservation = await _budget.ReserveAsync(_ => 0, CancellationToken.None);

        await _budget.CancelAsync((PrepaidCall)reservation.Handle!, CancellationToken.None);

        Assert.That((await _budget.PeekAsync(CancellationToken.None)).Remaining, Is.EqualTo(Limit));
    }

    [Test]
    public async Task Handler_CallTakenAhead_FirstAttemptSpendsItAndARetryAsksTheBudget()
    {
        var reservation = await _budget.ReserveAsync(_ => 0, CancellationToken.None);
        using var handler = new ProviderBudgetHandler(_budget, Options.Create(new ProviderLimitsOptions { MaxCallsPerMinute = Limit }), TimeProvider.System,
            NullLogger<ProviderBudgetHandler>.Instance) { InnerHandler = new Answers() };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://127.0.0.1/simple/price"));
        request.Options.Set(CoinGeckoClient.PrepaidKey, (PrepaidCall)reservation.Handle!);

        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        var afterFirst = (await _budget.PeekAsync(CancellationToken.None)).Remaining;
        (await invoker.SendAsync(request, CancellationToken.None)).Dispose(); // what the retry strategy does: the same request again
        var afterRetry = (await _budget.PeekAsync(CancellationToken.None)).Remaining;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFirst, Is.EqualTo(Limit - 1), "the first attempt took nothing more");
            Assert.That(afterRetry, Is.EqualTo(Limit - 2), "the retry paid for itself");
            Assert.That(((PrepaidCall)reservation.Handle!).TrySettle(), Is.False, "spent: nothing left to give back");
        }
    }

    /// <summary>The provider, answering every attempt.</summary>
    private sealed class Answers : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }
}
