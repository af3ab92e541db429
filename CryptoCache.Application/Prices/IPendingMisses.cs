namespace CryptoCache.Application.Prices;

/// <summary>
/// The misses of this replica on their way to an answer: those a batch here is fetching, which the refresher leaves to
/// that batch, and those held back for the refresher, which its next call carries.
/// </summary>
public interface IPendingMisses
{
    /// <summary>
    /// Both sets, read at one instant: a batch moves its pairs from the one to the other at once, so a reader that asked
    /// pair by pair, with awaits between, could find a request's first pair still in its batch and the others held back.
    /// </summary>
    PendingMisses Read();
}
