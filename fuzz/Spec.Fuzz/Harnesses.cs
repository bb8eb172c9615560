using System.Collections.Immutable;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using Spec.Wast;
using Store = Spec.Execution.Store;

namespace Spec.Fuzz;

/// <summary>
/// The targets coverage-guided fuzzing drives, one per front-end phase and one for the whole pipeline. Each takes
/// the input's bytes and catches nothing but the project's typed errors (<see cref="WasmException"/>): any other
/// exception, a stack overflow or a process that never returns is what the fuzzer is looking for.
/// </summary>
public static class Harnesses
{
    /// <summary>The harness names, as fuzz/afl.sh and the OSS-Fuzz build know them.</summary>
    public static readonly ImmutableArray<string> Names = ["decode", "text", "wast", "validate", "pipeline"];

    /// <summary>Fuel for each invocation in the pipeline: enough to run real code, little enough to keep inputs fast.</summary>
    public const long Fuel = 20_000;

    // Store limits small enough that an input claiming gigabytes fails fast with the limit error. Made per input, not
    // in a static initialiser: instrumented code may run only once the fuzzer has set up its coverage map.
    static StorePolicy Small() => StorePolicy.Default with
    {
        MaxMemoryBytes = 64UL << 20, MaxTableElements = 1_000_000, MaxGcHeapBytes = 64L << 20, MaxCallDepth = 10_000,
    };

    public static Action<byte[]> ByName(string name) => name switch
    {
        "decode" => Decode,
        "text" => ParseText,
        "wast" => ParseWast,
        "validate" => Validate,
        "pipeline" => Pipeline,
        _ => throw new ArgumentException($"unknown harness {name} (one of {string.Join(", ", Names)})"),
    };

    /// <summary>Runs <paramref name="harness"/> on <paramref name="input"/>; a typed error is an ordinary outcome.</summary>
    public static void Run(Action<byte[]> harness, byte[] input)
    {
        try { harness(input); }
        catch (HostException e) { throw new InvalidOperationException("a host function failed", e); }
        catch (WasmException) { }
    }

    public static void Decode(byte[] input) => Binary.Decode(input, Features.All);

    public static void ParseText(byte[] input) => Text.Parse(input, Features.All);

    public static void ParseWast(byte[] input) => WastParser.Parse("input.wast", input);

    public static void Validate(byte[] input) => Validator.Validate(Binary.Decode(input, Features.All), Features.All);

    /// <summary>Decode, validate, instantiate without imports, then invoke each exported function with default arguments, on fuel.</summary>
    public static void Pipeline(byte[] input)
    {
        var module = Binary.Decode(input, Features.All);
        Validator.Validate(module, Features.All);
        var store = new Store(null, Small()) { Fuel = Fuel };
        var instance = Instantiation.Instantiate(store, module, (_, _) => null, Features.All);
        foreach (var export in instance.Exports)
        {
            if (export.Value is not ExternVal.Func f) continue;
            var args = new List<Value>();
            foreach (var t in Embedding.TypeOf(f.Inst).Params)
                if (Value.Default(t) is { } v) args.Add(v); else goto next;
            store.Fuel = Fuel;
            try { Embedding.Invoke(store, f.Inst, args); }
            catch (TrapException) { }
            catch (UncaughtWasmException) { }
            next:;
        }
    }
}
