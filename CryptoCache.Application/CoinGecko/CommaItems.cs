namespace CryptoCache.Application.CoinGecko;

/// <summary>
/// The items of a comma-separated value, trimmed and without empty ones: what
/// <c>Split(',', TrimEntries | RemoveEmptyEntries)</c> gives, as spans over the value. Validation looks at every item
/// of every list on each request, and a split would allocate an array and a string per item only to be thrown away.
/// </summary>
internal ref struct CommaItems
{
    private ReadOnlySpan<char> _rest;
    private bool _done;

    public CommaItems(string? value)
    {
        _rest = value;
        _done = value is null;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly CommaItems GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_done)
        {
            ReadOnlySpan<char> item;
            var comma = _rest.IndexOf(',');
            if (comma < 0)
            {
                item = _rest;
                _done = true;
            }
            else
            {
                item = _rest[..comma];
                _rest = _rest[(comma + 1)..];
            }

            item = item.Trim();
            if (!item.IsEmpty)
            {
                Current = item;
                return true;
            }
        }

        return false;
    }
}
