using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using CryptoCache.Application.Prices;
using Microsoft.Extensions.Options;
using MvcJsonOptions = Microsoft.AspNetCore.Mvc.JsonOptions;

namespace CryptoCache.Bench.Micro;

/// <summary>
/// The answer's body: a <see cref="PriceDto"/> written with the serializer options MVC writes it with. ApiJsonContext is
/// internal to the API, so its metadata is taken where the API puts it, first in MVC's resolver chain; set-up checks that
/// the DTO's metadata does come from it (source-generated, not reflection-built).
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the instance; [GlobalCleanup] disposes the writer.")]
public class SerialisationBenchmarks
{
    private const string ApiJsonContext = "CryptoCache.Api.Serialization.ApiJsonContext";

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private HitPathServices _services = null!;
    private JsonTypeInfo<PriceDto> _typeInfo = null!;
    private Utf8JsonWriter _writer = null!;
    private PriceDto _dto = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = await HitPathServices.CreateAsync().ConfigureAwait(false);
        var options = _services.Get<IOptions<MvcJsonOptions>>().Value.JsonSerializerOptions;
        options.MakeReadOnly(populateMissingResolver: true);
        _typeInfo = (JsonTypeInfo<PriceDto>)options.GetTypeInfo(typeof(PriceDto));
        if (_typeInfo.OriginatingResolver?.GetType().FullName != ApiJsonContext)
        {
            throw new InvalidOperationException($"PriceDto's metadata comes from {_typeInfo.OriginatingResolver?.GetType().FullName ?? "nowhere"}, not {ApiJsonContext}.");
        }

        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, SkipValidation = true });
        _dto = _services.Dto;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _services.Dispose();
    }

    [Benchmark(Description = "JsonSerializer.Serialize(PriceDto), to a string")]
    public string ToText() => JsonSerializer.Serialize(_dto, _typeInfo);

    [Benchmark(Description = "JsonSerializer.Serialize(PriceDto), to a reused UTF-8 writer")]
    public long ToWriter()
    {
        // A reused buffer, as a response body's pooled writer is: the figure is the serializer's own cost.
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _dto, _typeInfo);
        return _writer.BytesCommitted;
    }
}
