using BenchmarkDotNet.Attributes;
using CryptoCache.Application.Prices;
using CryptoCache.Application.Prices.GetPrice;
using MediatR;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// The use case on a cache hit: through the mediator as the controller sends it (a new query each time, the validation
/// behaviour, the handler), and the handler alone (pair parsing, <c>PriceResolver</c>, mapping). The resolver is
/// internal to Application and no bench assembly sees its internals, so it is measured only inside the handler.
/// </summary>
[MemoryDiagnoser]
public class MediatorBenchmarks
{
    private readonly GetPriceQuery _query = new(HitPathServices.Coin, HitPathServices.Currency);
    private HitPathServices _services = null!;
    private IMediator _mediator = null!;
    private IRequestHandler<GetPriceQuery, PriceDto> _handler = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = await HitPathServices.CreateAsync().ConfigureAwait(false);
        _mediator = _services.Get<IMediator>();
        _handler = _services.Get<IRequestHandler<GetPriceQuery, PriceDto>>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "IMediator.Send(new GetPriceQuery), hit")]
    public Task<PriceDto> Send() => _mediator.Send(new GetPriceQuery(HitPathServices.Coin, HitPathServices.Currency));

    [Benchmark(Description = "GetPriceQueryHandler.Handle, hit")]
    public Task<PriceDto> Handler() => _handler.Handle(_query, CancellationToken.None);
}
