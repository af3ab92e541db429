using System.Globalization;
using CryptoCache.Bench.Profile;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// bench/profile.sh's reader of dotnet-trace files. Prints "layer<TAB>value" lines, one per layer:
//   alloc <gc-verbose.nettrace> <requests>        sampled allocations (GCAllocationTick) per request, in bytes
//   cpu   <thread-time.nettrace> <cpu µs/request>  share of the request-serving thread samples, in µs per request
// A request-serving sample is one whose thread was running (not waiting) with ASP.NET Core, Kestrel or our code on its
// stack. Samples stopped at a GC safe point are charged where they stopped: the GC's cost lands on the allocating code.
if (args.Length != 3 || args[0] is not ("alloc" or "cpu"))
{
    await Console.Error.WriteLineAsync("usage: alloc <trace> <requests> | cpu <trace> <cpu-us-per-request>");
    return 2;
}

var perRequest = double.Parse(args[2], CultureInfo.InvariantCulture);
var totals = Layers.Names.ToDictionary(name => name, _ => 0.0);
double all = 0;
var etlx = TraceLog.CreateFromEventPipeDataFile(args[1]);
using (var log = new TraceLog(etlx))
{
    foreach (var data in log.Events)
    {
        var (weight, frames) = args[0] == "alloc" ? Allocation(data) : Sample(data);
        if (weight == 0)
        {
            continue;
        }

        all += weight;
        totals[Layers.Of(frames)] += weight;
    }
}

File.Delete(etlx);
foreach (var (layer, weight) in totals)
{
    // alloc: bytes sampled ÷ requests; cpu: the layer's share of the samples × CPU per request.
    var value = all == 0 ? 0 : args[0] == "alloc" ? weight / perRequest : weight / all * perRequest;
    Console.WriteLine($"{layer}\t{value.ToString(args[0] == "alloc" ? "F0" : "F2", CultureInfo.InvariantCulture)}");
}

return 0;

static (double Weight, List<string> Frames) Allocation(TraceEvent data) =>
    data is GCAllocationTickTraceData tick ? (tick.AllocationAmount64, Frames(data)) : (0, []);

static (double Weight, List<string> Frames) Sample(TraceEvent data)
{
    if (data.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || data.EventName != "Thread/Sample")
    {
        return (0, []);
    }

    var frames = Frames(data);
    var top = frames.FirstOrDefault(f => f.Length > 0) ?? string.Empty;
    var waiting = top.Contains("Wait", StringComparison.Ordinal) || top.Contains("Semaphore", StringComparison.Ordinal)
                  || top.Contains("Sleep", StringComparison.Ordinal);
    var serving = frames.Any(f => f.Contains("Kestrel", StringComparison.Ordinal) || f.Contains("AspNetCore", StringComparison.Ordinal)
                                  || f.Contains("CryptoCache", StringComparison.Ordinal));
    return !waiting && serving ? (1, frames) : (0, []);
}

static List<string> Frames(TraceEvent data)
{
    var frames = new List<string>();
    for (var frame = data.CallStack(); frame is not null && frames.Count < 200; frame = frame.Caller)
    {
        frames.Add(frame.CodeAddress.FullMethodName ?? string.Empty);
    }

    return frames;
}
