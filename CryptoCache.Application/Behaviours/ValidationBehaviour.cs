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

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_validators.Length == 0)
        {
            return await next().ConfigureAwait(false);
        }

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
