using CryptoCache.Infrastructure.Logging;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Infrastructure.Redis;

/// <summary>
/// Raises the thread pool's minimum while a Redis connection is down, and lowers it again a while after the last one
/// is back. StackExchange.Redis follows a Sentinel failover with blocking calls on pool threads (its primary switch
/// queries the sentinels synchronously, in parallel, and retries every second until the connection is restored): on
/// two cores, with the minimum at the core count, those calls took every pool thread, and the requests queued behind
/// them (answered 1 to 2 s late, all at once) until the pool added threads at its own pace. Raised only for the
/// outage: in the steady state more threads than cores only cost the hit path context switches. Whether the outage is
/// over is asked of the multiplexer, not counted from its events: a failed-over primary fails and never comes back, so
/// a count of connections down never returned to zero after a failover, and the minimum stayed raised for good.
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
    private readonly Func<bool> _connected;
    private bool _raised;

    /// <param name="logger">Where the raise and the settle are logged.</param>
    /// <param name="connected">True while the multiplexer has a usable connection.</param>
    /// <param name="settleAfter">How long the minimum stays raised once connected again (30 s by default).</param>
    public ThreadPoolHeadroom(ILogger logger, Func<bool> connected, TimeSpan? settleAfter = null)
    {
        _logger = logger;
        _connected = connected;
        _settleAfter = settleAfter ?? DefaultSettleAfter;
        ThreadPool.GetMinThreads(out _minWorkers, out _minIo);
        _raisedWorkers = Math.Max(_minWorkers, Math.Max(16, 8 * Environment.ProcessorCount));
        _settle = new Timer(_ => Settle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A connection failed: the minimum goes up now, and stays up until the multiplexer is connected again.</summary>
    public void ConnectionFailed()
    {
        lock (_gate)
        {
            _settle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (_raised)
            {
                return;
            }

            _raised = ThreadPool.SetMinThreads(_raisedWorkers, _minIo);
        }

        InfrastructureLog.ThreadPoolRaised(_logger, _raisedWorkers, _minWorkers);
    }

    /// <summary>A connection is back: the minimum goes back down a while later, once the multiplexer is connected then.</summary>
    public void ConnectionRestored()
    {
        lock (_gate)
        {
            if (_raised)
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
            if (!_raised)
            {
                return;
            }

            if (!_connected())
            {
                _settle.Change(_settleAfter, Timeout.InfiniteTimeSpan); // not yet: look again later
                return;
            }

            ThreadPool.SetMinThreads(_minWorkers, _minIo);
            _raised = false;
        }

        InfrastructureLog.ThreadPoolSettled(_logger, _minWorkers);
    }
}
