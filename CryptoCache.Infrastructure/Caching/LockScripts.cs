namespace CryptoCache.Infrastructure.Caching;

/// <summary>
/// The Lua of the cross-replica fetch locks, shared by the cache's factory lock (<see cref="RedisLocker"/>) and the batch
/// claims (<see cref="RedisFetchLocks"/>), so that both take and release the same locks the same way.
/// </summary>
internal static class LockScripts
{
    /// <summary>A holder that crashes frees its locks after this long.</summary>
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// KEYS: lock, entry, lock, entry, … for the pairs claimed (ARGV[3] of them, all the keys when absent), then the
    /// entries of pairs only looked up; ARGV[1] holder token, ARGV[2] expiry ms. One number per claimed pair: 0 held by
    /// another, 1 granted, 2 granted though an entry is cached (another replica may have fetched it since its asker
    /// looked); then one per looked-up pair: 1 when an entry is cached.
    /// </summary>
    public const string Claim = """
        local claimed = tonumber(ARGV[3]) or (#KEYS / 2)
        local result = {}
        for i = 1, claimed * 2, 2 do
          if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
            result[#result + 1] = 1 + redis.call('EXISTS', KEYS[i + 1])
          else
            result[#result + 1] = 0
          end
        end
        for i = claimed * 2 + 1, #KEYS do
          result[#result + 1] = redis.call('EXISTS', KEYS[i])
        end
        return result
        """;

    /// <summary>
    /// KEYS: locks; ARGV[1] holder token, ARGV[2] channel. Deletes the locks the token still holds and announces them in
    /// one message (names one per line), so that waiters on every replica wake at once instead of polling.
    /// </summary>
    public const string Release = """
        local released = {}
        for i = 1, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[1] then
            redis.call('DEL', KEYS[i])
            released[#released + 1] = KEYS[i]
          end
        end
        if #released > 0 then redis.call('PUBLISH', ARGV[2], table.concat(released, '\n')) end
        return #released
        """;
}
