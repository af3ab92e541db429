using System.Globalization;
using CryptoCache.Bench.Profile;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// bench/profile.sh's reader of dotnet-trace files. Prints "layer<TAB>value" lines, one per layer:
//   alloc <gc-verbose.nettrace> <requests>        sampled allocations (GCAllocationTick) per request, in bytes
//   cpu   <thread-time.nettrace> <cpu µs/request>  share of the request-serving thread samples, in µs per request
//   stacks <either.nettrace> <layer>               the most common innermost frames of that layer's samples, or of the
//                                                  bytes it allocated (what to look at when a layer costs more than expected)
//   top <thread-time.nettrace> <count>             the methods on most running samples (inclusive: each counted once per
//                                                  sample), samples parked for a GC left out: where a path's time goes
//   callers <thread-time.nettrace> <method>        the stacks (8 frames) of the running samples with that method on them,
//                                                  by how often: who calls a method that top shows high
//   types <gc-verbose.nettrace> <requests>         sampled allocations per request by type, with the layer that allocated
//                                                  most of each: what to take out when one target allocates more
// A request-serving sample is one whose thread was running (not waiting) with ASP.NET Core, Kestrel or our code on its
// stack. Samples stopped at a GC safe point are charged where they stopped: the GC's cost lands on the allocating code.
if (args.Length != 3 || args[0] is not ("alloc" or "cpu" or "stacks" or "top" or "types" or "callers"))
{
    await Console.Error.WriteLineAsync("usage: alloc <trace> <requests> | cpu <trace> <cpu-us-per-request> | stacks <trace> <layer> | top <trace> <count> | types <trace> <requests> | callers <trace> <method>");
    return 2;
}

if (args[0] == "stacks")
{
    return Stacks(args[1], args[2]);
}

if (args[0] == "callers")
{
    return Callers(args[1], args[2]);
}

if (args[0] == "types")
{
    return Types(args[1], double.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args[0] == "top")
{
    return Top(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
}

var perRequest = double.Parse(args[2], CultureInfo.InvariantCulture);
var totals = Layers.Names.ToDictionary(name => name, _ => 0.0);
double all = 0;
foreach (var data in Events(args[1]))
{
    var (weight, frames) = args[0] == "alloc" ? Allocation(data) : Sample(data);
    if (weight == 0)
    {
        continue;
    }

    all += weight;
    totals[Layers.Of(frames)] += weight;
}

foreach (var (layer, weight) in totals)
{
    // alloc: bytes sampled ÷ requests; cpu: the layer's share of the samples × CPU per request.
    var value = all == 0 ? 0 : args[0] == "alloc" ? weight / perRequest : weight / all * perRequest;
    Console.WriteLine($"{layer}\t{value.ToString(args[0] == "alloc" ? "F0" : "F2", CultureInfo.InvariantCulture)}");
}

return 0;

// The layer's samples grouped by their innermost frames (down to and including the first frame naming the layer).
static int Stacks(string trace, string layer)
{
    var stacks = new Dictionary<string, double>();
    double total = 0;
    foreach (var data in Events(trace))
    {
        var (weight, frames) = Allocation(data) is { Weight: > 0 } allocation ? allocation : Sample(data);
        if (weight == 0)
        {
            continue;
        }

        total += weight;
        if (Layers.Of(frames) != layer)
        {
            continue;
        }

        var inner = frames.TakeWhile(f => Layers.Of([f]) != layer).Take(8).ToList();
        inner.Add(frames.FirstOrDefault(f => Layers.Of([f]) == layer) ?? string.Empty);
        var key = string.Join("\n    <- ", inner);
        stacks[key] = stacks.GetValueOrDefault(key) + weight;
    }

    Console.WriteLine($"{stacks.Values.Sum():F0} of {total:F0} (samples, or bytes sampled) in {layer}");
    foreach (var (key, weight) in stacks.OrderByDescending(s => s.Value).Take(25))
    {
        Console.WriteLine($"{weight,9:F0}  {key}");
    }

    return 0;
}

static int Top(string trace, int count)
{
    var inclusive = new Dictionary<string, int>();
    var running = 0;
    foreach (var data in Events(trace))
    {
        var (weight, frames) = Sample(data);
        if (weight == 0 || frames.Any(f => f.Contains("PollGC", StringComparison.Ordinal)))
        {
            continue;
        }

        running++;
        foreach (var frame in frames.Where(f => f.Length > 0).Distinct())
        {
            inclusive[frame] = inclusive.GetValueOrDefault(frame) + 1;
        }
    }

    Console.WriteLine($"{running} running request samples");
    foreach (var (frame, samples) in inclusive.OrderByDescending(f => f.Value).Take(count))
    {
        Console.WriteLine($"{samples,6} {100.0 * samples / running,5:F1}%  {(frame.Length > 200 ? frame[..200] : frame)}");
    }

    return 0;
}

static int Callers(string trace, string method)
{
    var stacks = new Dictionary<string, int>();
    var with = 0;
    foreach (var data in Events(trace))
    {
        var (weight, frames) = Sample(data);
        var at = frames.FindIndex(f => f.Contains(method, StringComparison.Ordinal));
        if (weight == 0 || at < 0)
        {
            continue;
        }

        with++;
        var key = string.Join("\n    <- ", frames.Skip(at).Take(8).Select(f => f.Length > 160 ? f[..160] : f));
        stacks[key] = stacks.GetValueOrDefault(key) + 1;
    }

    Console.WriteLine($"{with} running request samples with {method}");
    foreach (var (key, samples) in stacks.OrderByDescending(s => s.Value).Take(15))
    {
        Console.WriteLine($"{samples,6}  {key}");
    }

    return 0;
}

static int Types(string trace, double requests)
{
    var types = new Dictionary<string, Dictionary<string, double>>();
    foreach (var data in Events(trace))
    {
        if (data is not GCAllocationTickTraceData tick)
        {
            continue;
        }

        var byLayer = types.TryGetValue(tick.TypeName ?? "?", out var found) ? found : types[tick.TypeName ?? "?"] = [];
        var layer = Layers.Of(Frames(data));
        byLayer[layer] = byLayer.GetValueOrDefault(layer) + tick.AllocationAmount64;
    }

    foreach (var (type, byLayer) in types.OrderByDescending(t => t.Value.Values.Sum()).Take(40))
    {
        var (layer, bytes) = byLayer.MaxBy(l => l.Value);
        Console.WriteLine($"{byLayer.Values.Sum() / requests,7:F0} B  {type}  (most in {layer}: {bytes / requests:F0} B)");
    }

    return 0;
}

// The trace's events, read through a temporary .etlx file (deleted once read).
static IEnumerable<TraceEvent> Events(string trace)
{
    var etlx = TraceLog.CreateFromEventPipeDataFile(trace);
    try
    {
        using var log = new TraceLog(etlx);
        foreach (var data in log.Events)
        {
            yield return data;
        }
    }
    finally
    {
        File.Delete(etlx);
    }
}

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
