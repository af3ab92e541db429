using BenchmarkDotNet.Attributes;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// Validation of a valid <see cref="GetPriceQuery"/>: the pipeline's behaviour as registered (its validators' shortcut,
/// then the next step, here one that returns a finished task) against FluentValidation's full run of the same
/// validator, which is what every request paid before the shortcut. The shortcut trusts the currency list it has at
/// hand for a second; about once a second the behaviour runs the validator to renew it, and that is measured too.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private readonly GetPriceQuery _query = new(HitPathServices.Coin, HitPathServices.Currency);
    private HitPathServices _services = null!;
    private IPipelineBehavior<GetPriceQuery, PriceDto> _behaviour = null!;
    private IValidator<GetPriceQuery> _validator = null!;
    private RequestHandlerDelegate<PriceDto> _next = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = await HitPathServices.CreateAsync().ConfigureAwait(false);
        _behaviour = _services.Get<IPipelineBehavior<GetPriceQuery, PriceDto>>();
        _validator = _services.Get<IValidator<GetPriceQuery>>();
        var answer = Task.FromResult(_services.Dto);
        _next = () => answer;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "ValidationBehaviour.Handle, valid query (shortcut)")]
    public Task<PriceDto> Behaviour() => _behaviour.Handle(_query, CancellationToken.None, _next);

    [Benchmark(Description = "GetPriceQueryValidator.ValidateAsync (before the shortcut)")]
    public Task<ValidationResult> FluentValidation() => _validator.ValidateAsync(_query, CancellationToken.None);
}
