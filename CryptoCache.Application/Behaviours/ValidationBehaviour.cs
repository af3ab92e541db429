using CryptoCache.Application.Logging;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CryptoCache.Application.Behaviours;

/// <summary>Runs the request's validators before its handler, so invalid input never reaches the cache or the provider.</summary>
public sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators, ILogger<ValidationBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private readonly IValidator<TRequest>[] _validators = validators.ToArray();

    /// <summary>Every validator's shortcut, or null when one of them has none (then the validators always run).</summary>
    private readonly IValidationShortcut<TRequest>[]? _shortcuts = ShortcutsOf(validators);

    /// <summary>Not async: a valid request goes straight to the handler, with no state machine of its own.</summary>
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return _validators.Length == 0 || IsCertainlyValid(request) ? next() : ValidateThenHandleAsync(request, next, cancellationToken);
    }

    private static IValidationShortcut<TRequest>[]? ShortcutsOf(IEnumerable<IValidator<TRequest>> validators)
    {
        var all = validators.ToArray();
        var shortcuts = all.OfType<IValidationShortcut<TRequest>>().ToArray();
        return shortcuts.Length > 0 && shortcuts.Length == all.Length ? shortcuts : null;
    }

    private bool IsCertainlyValid(TRequest request)
    {
        if (_shortcuts is null)
        {
            return false;
        }

        foreach (var shortcut in _shortcuts)
        {
            if (!shortcut.IsCertainlyValid(request))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<TResponse> ValidateThenHandleAsync(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        var context = new ValidationContext<TRequest>(request);
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in _validators)
        {
            var result = await validator.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        if (failures is not null)
        {
            ApplicationLog.ValidationFailed(logger, typeof(TRequest).Name, string.Join("; ", failures.Select(f => f.PropertyName)));
            throw new ValidationException(failures);
        }

        return await next().ConfigureAwait(false);
    }
}
