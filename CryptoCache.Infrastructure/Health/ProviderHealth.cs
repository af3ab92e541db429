using CryptoCache.Application.Common.Exceptions;

namespace CryptoCache.Infrastructure.Health;

/// <summary>
/// What the last provider calls said, for readiness. Readiness must never call the provider itself: every call
/// counts against the quota.
/// </summary>
internal sealed class ProviderHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private ProviderFailure? _lastFailure;
    private DateTimeOffset _failingUntil;

    public void Succeeded()
    {
        lock (_gate)
        {
            _lastFailure = null;
            _failingUntil = default;
        }
    }

    public void Failed(ProviderUnavailableException failure)
    {
        lock (_gate)
        {
            _lastFailure = failure.Failure;
            _failingUntil = time.GetUtcNow() + (failure.RetryAfter ?? TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The failure still in force, if any, and until when.</summary>
    public (ProviderFailure Failure, DateTimeOffset Until)? Current
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure is { } failure && _failingUntil > time.GetUtcNow() ? (failure, _failingUntil) : null;
            }
        }
    }
}
