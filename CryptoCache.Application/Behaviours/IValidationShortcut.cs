namespace CryptoCache.Application.Behaviours;

/// <summary>
/// A validator that can tell, cheaply and without allocating, that a request is valid. Every price request is
/// validated, and nearly all are valid: FluentValidation's full run (a context, a result, a task and its rule
/// machinery) is then spent on proving nothing. When every validator of a request says "certainly valid", the
/// behaviour skips them; any doubt (false) runs them all, and they alone word the errors.
/// </summary>
/// <remarks>False is always safe: it only means the full validators run. True must imply they would pass.</remarks>
public interface IValidationShortcut<in TRequest>
{
    bool IsCertainlyValid(TRequest request);
}
