namespace CryptoCache.Application.Refresh;

/// <summary>
/// What the refresher needs of the budget to keep the whole hot set fresh: calls per minute, capped at its share.
/// Misses may spend only what it does not need, so a short budget goes to bulk calls that carry hundreds of pairs,
/// not to misses that carry a handful each. Written by the refresher each tick, read by the batcher.
/// </summary>
public sealed class RefreshDemand
{
    private int _callsPerMinute;

    public int CallsPerMinute
    {
        get => Volatile.Read(ref _callsPerMinute);
        set => Volatile.Write(ref _callsPerMinute, value);
    }
}
