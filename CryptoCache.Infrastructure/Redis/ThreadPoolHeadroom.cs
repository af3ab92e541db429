using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Infrastructure.Redis;

/// <summary>
/// Raises the thread pool's minimum while a Redis connection is down, and lowers it again a while after the last one
/// is back. StackExchange.Redis follows a Sentinel failover with blocking calls on pool threads (its primary switch
/// queries the sentinels synchronously, in parallel, and retries every second until the connection is restored): on
/// two cores, with the minimum at the core count, those calls took every pool thread, and the requests queued behind
/// them (answered 1 to 2 s late, all at once) until the pool added threads at its own pace. Raised only for the
/// outage: in the steady state more threads than cores only cost the hit path context switches.
/// </summary>
internal sealed class ThreadPoolHeadroom : IDisposable
{
    /// <summary>How long the minimum stays raised after the last connection is restored: the switch retries run on a while.</summary>
    private static readonly TimeSpan DefaultSettleAfter = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly int _minWorkers;
    private readonly int _minIo;
    private readonly int _raisedWorkers;
    private readonly Timer _settle;
    private readonly TimeSpan _settleAfter;
    private int _down;
    private bool _raised;

    public ThreadPoolHeadroom(ILogger logger, TimeSpan? settleAfter = null)
    {
        _logger = logger;
        _settleAfter = settleAfter ?? DefaultSettleAfter;
        ThreadPool.GetMinThreads(out _minWorkers, out _minIo);
        _raisedWorkers = Math.Max(_minWorkers, Math.Max(16, 8 * Environment.ProcessorCount));
        _settle = new Timer(_ => Settle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A connection failed: the minimum goes up now, and stays up while any is down.</summary>
    public void ConnectionFailed()
    {
        lock (_gate)
        {
            _down++;
            _settle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (_raised)
            {
                return;
            }

            _raised = ThreadPool.SetMinThreads(_raisedWorkers, _minIo);
        }

        InfrastructureLog.ThreadPoolRaised(_logger, _raisedWorkers, _minWorkers);
    }

    /// <summary>A connection is back: once every one is, the minimum goes back down a while later (30 s by default).</summary>
    public void ConnectionRestored()
    {
        lock (_gate)
        {
            _down = Math.Max(0, _down - 1);
            if (_down == 0 && _raised)
            {
                _settle.Change(_settleAfter, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose() => _settle.Dispose();

    private void Settle()
    {
        lock (_gate)
        {
            if (_down > 0 || !_raised)
            {
                return;
            }

            ThreadPool.SetMinThreads(_minWorkers, _minIo);
            _raised = false;
        }

        InfrastructureLog.ThreadPoolSettled(_logger, _minWorkers);
    }
}
