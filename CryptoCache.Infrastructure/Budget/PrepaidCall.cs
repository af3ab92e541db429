namespace CryptoCache.Infrastructure.Budget;

/// <summary>
/// A call's budget taken ahead of the call (<see cref="IProviderBudget.ReserveAsync"/>): the first attempt that reaches
/// the budget handler spends it, or it is given back; whichever comes first settles it, once.
/// </summary>
/// <param name="member">The call's entry in the shared call log.</param>
internal sealed class PrepaidCall(string member)
{
    private int _settled;

    public string Member { get; } = member;

    /// <summary>True for the one caller that settles it (spends it, or gives it back); false for every later one.</summary>
    public bool TrySettle() => Interlocked.Exchange(ref _settled, 1) == 0;
}
