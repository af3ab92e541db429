using System.Collections;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// A request scope's state shaped like ASP.NET Core hosting's (internal) one: a list of key-value pairs, so that a
/// formatter that includes scopes reads the values without a message template.
/// </summary>
internal sealed class RequestScopeState(string requestId, string requestPath) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RequestId", requestId),
        1 => new("RequestPath", requestPath),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestPath:{requestPath} RequestId:{requestId}";
}
