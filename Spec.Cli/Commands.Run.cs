using System.Globalization;
using Spec.Execution;
using Spec.Syntax;
using Spec.Validation;
using Spec.Wasi;
using Spec.Wast;
using Store = Spec.Execution.Store;

namespace Spec.Cli;

/// <summary>How a run is bounded: fuel, a deadline, and the store's limits.</summary>
internal sealed record RunBounds(long? Fuel = null, TimeSpan? Timeout = null, StorePolicy? Policy = null)
{
    public static readonly RunBounds None = new();
}

/// <summary>
/// wasmspec run [OPTION...] FILE.wasm [ARG...] (options in <see cref="Usage"/>).
/// A WASI command runs "_start" and exits with its proc_exit status if that is 0–125; --invoke calls any export and
/// prints its results. Every other ending has its status in <see cref="ExitStatus"/>: a trap 134, exhaustion or a
/// limit 135, the deadline 142.
/// </summary>
internal static class RunCommand
{
    static readonly StorePolicy Defaults = StorePolicy.Default;

    internal static readonly string Usage = $"""
        usage: wasmspec run [OPTION...] FILE.wasm [ARG...]
          --dir HOST[::GUEST][:ro]   preopen a host directory (as GUEST; read-only with :ro)
          --env KEY=VALUE            set an environment variable of the guest
          --engine interp|jit        the engine (default interp)
          --features LIST            Wasm 3.0 changed by these switches (threads, wide-arithmetic, -memory64, ...)
          --invoke NAME              call the export NAME with the ARGs and print its results, instead of "_start"
          --fuel N                   stop after N instructions (bulk operations: one per byte or element)
          --timeout DURATION         stop after DURATION (500ms, 10s, 2m), even inside a blocked host call
          --max-memory SIZE          linear memory of all memories together (default {Defaults.MaxMemoryBytes >> 30}GiB)
          --max-table-elements N     elements of all tables together (default {Defaults.MaxTableElements})
          --max-gc-heap SIZE         bytes of live structs and arrays (default {Defaults.MaxGcHeapBytes >> 30}GiB)
          --max-instances N          module instances (default {Defaults.MaxInstances})
          --max-memories N           memories (default {Defaults.MaxMemories})
          --max-tables N             tables (default {Defaults.MaxTables})
          --max-call-depth N         Wasm frames live at once (default {Defaults.MaxCallDepth})
          --max-fds N                descriptors the guest may hold open (default {WasiOptions.DefaultMaxDescriptors})
        """;

    public static int Run(string[] args)
    {
        var preopens = new List<WasiPreopen>();
        var env = new List<string>();
        string engine = "interp";
        long? fuel = null;
        TimeSpan? timeout = null;
        var policy = StorePolicy.Default;
        int? maxFds = null;
        string? invoke = null;
        var features = Features.Default;
        int k = 0;
        for (; k < args.Length && args[k].StartsWith('-') && args[k] != "-"; k++)
        {
            string Next() => ++k < args.Length ? args[k] : throw new UsageException($"{args[k - 1]} needs a value");
            try
            {
                switch (args[k])
                {
                    case "--dir": preopens.Add(ParseDir(Next())); break;
                    case "--env":
                        var kv = Next();
                        if (!kv.Contains('=')) throw new UsageException("--env takes KEY=VALUE");
                        env.Add(kv);
                        break;
                    case "--engine": engine = Next(); break;
                    case "--features":
                        try { features = Features.Parse(Next()); }
                        catch (ArgumentException e) { throw new UsageException(e.Message); }
                        break;
                    case "--fuel": fuel = long.TryParse(Next(), out var f) && f >= 0 ? f : throw new UsageException("--fuel takes a count"); break;
                    case "--timeout": timeout = Quantities.TryParseDuration(Next(), out var t) ? t : throw new UsageException($"--timeout takes {Quantities.DurationSyntax}"); break;
                    case "--max-fds": maxFds = Count(Next(), "--max-fds"); break;
                    case "--max-memory": policy = policy with { MaxMemoryBytes = Size(Next(), "--max-memory") }; break;
                    case "--max-table-elements": policy = policy with { MaxTableElements = (ulong)Count(Next(), "--max-table-elements") }; break;
                    case "--max-gc-heap": policy = policy with { MaxGcHeapBytes = (long)Math.Min(Size(Next(), "--max-gc-heap"), long.MaxValue) }; break;
                    case "--max-instances": policy = policy with { MaxInstances = Count(Next(), "--max-instances") }; break;
                    case "--max-memories": policy = policy with { MaxMemories = Count(Next(), "--max-memories") }; break;
                    case "--max-tables": policy = policy with { MaxTables = Count(Next(), "--max-tables") }; break;
                    case "--max-call-depth": policy = policy with { MaxCallDepth = Count(Next(), "--max-call-depth") }; break;
                    case "--invoke": invoke = Next(); break;
                    case "--help" or "-h":
                        Console.Out.WriteLine(Usage);
                        return ExitStatus.Success;
                    case "--": k++; goto done;
                    default: throw new UsageException($"wasmspec run: unknown option {args[k]}");
                }
            }
            catch (UsageException e) { return Fail((e.Message.StartsWith("wasmspec run:") ? e.Message : $"wasmspec run: {e.Message}") + "\n" + Usage, ExitStatus.Usage); }
        }
        done:
        if (k >= args.Length) return Fail($"wasmspec run: no module file given\n{Usage}", ExitStatus.Usage);
        if (Engines.ByName(engine, fuel is not null, out var why) is not { } runtime) return Fail($"wasmspec run: {why}", ExitStatus.Usage);
        var file = args[k];
        var rest = args[(k + 1)..];
        // `run FILE --invoke NAME ARG...` reads naturally too; any other argument after FILE is the guest's.
        if (invoke is null && rest is ["--invoke", var name, ..]) { invoke = name; rest = rest[2..]; }

        Module module;
        try { module = Load(file, features); }
        catch (UnreadableFile e) { return Fail($"wasmspec run: {e.Message}", ExitStatus.Usage); }
        catch (WasmException e) { return Fail(ModuleFiles.Rejection(file, e)); }

        var options = new WasiOptions
        {
            Args = invoke is null ? [file, .. rest] : [file],
            Env = env,
            Preopens = preopens,
            Stdin = Console.OpenStandardInput(),
            Stdout = Console.OpenStandardOutput(),
            Stderr = Console.OpenStandardError(),
            MaxDescriptors = maxFds ?? WasiOptions.DefaultMaxDescriptors,
        };
        var outcome = Engines.OnDeepStack(() => Execute(module, options, new RunBounds(fuel, timeout, policy), runtime, invoke, rest, features));
        Console.Out.Flush();
        if (outcome.Error is { } error) Console.Error.WriteLine(error);
        return outcome.Status;
    }

    /// <summary>How a run ended: its exit status, and the message for stderr when it failed.</summary>
    internal readonly record struct Outcome(int Status, string? Error);

    /// <summary>Instantiates <paramref name="module"/> with WASI and runs "_start", or <paramref name="invoke"/> with <paramref name="invokeArgs"/>.</summary>
    internal static Outcome Execute(Module module, WasiOptions options, RunBounds bounds, IEngine? engine = null, string? invoke = null,
        string[]? invokeArgs = null, Features? features = null)
    {
        WasiHost wasi;
        try { wasi = new WasiHost(options); }
        catch (IOException e) { return new(ExitStatus.Usage, $"wasmspec run: {e.Message}"); }
        using (wasi)
        {
            var store = new Store(engine, bounds.Policy) { Fuel = bounds.Fuel };
            if (bounds.Timeout is { } timeout) store.SetDeadline(timeout);
            ModuleInstance? inst = null;
            try
            {
                inst = Instantiation.Instantiate(store, module, wasi.Resolver(store), features);
                if (invoke is null)
                {
                    if (inst.Export("_start") is not ExternVal.Func)
                        return new(ExitStatus.Failed, "wasmspec run: the module exports no \"_start\": not a WASI command (call an export with --invoke NAME)");
                    return Exited(wasi.RunCommand(store, inst));
                }
                wasi.Bind(inst);
                if (inst.Export(invoke) is not ExternVal.Func f) return new(ExitStatus.Failed, $"wasmspec run: no exported function \"{invoke}\"");
                var ft = Embedding.TypeOf(f.Inst);
                var given = invokeArgs ?? [];
                if (given.Length != ft.Params.Length) return new(ExitStatus.Usage, $"wasmspec run: \"{invoke}\" takes {Arguments.Count(ft.Params.Length)} ({string.Join(" ", ft.Params)}), got {given.Length}");
                var values = new Value[given.Length];
                for (int i = 0; i < given.Length; i++)
                    values[i] = CommandLineValues.Parse(given[i], ft.Params[i]) ?? throw new UsageException($"argument {i + 1} \"{given[i]}\" is not a valid {ft.Params[i]}");
                var results = Embedding.Invoke(store, f, values);
                var stdout = options.Stdout ?? Stream.Null;
                foreach (var r in results)
                {
                    var line = System.Text.Encoding.UTF8.GetBytes(Format(r) + "\n");
                    stdout.Write(line);
                }
                stdout.Flush();
                return new(0, null);
            }
            catch (WasiExitException e) { return Exited(e.Code); }
            catch (UsageException e) { return new(ExitStatus.Usage, $"wasmspec run: {e.Message}"); }
            catch (LinkException e) { return new(ExitStatus.Failed, $"wasmspec run: link error: {e.Message}"); }
            catch (TrapException e) { return new(ExitStatus.Trap, $"wasmspec run: trap: {e.Reason}\n{Backtrace(module, options.Args.FirstOrDefault() ?? "module", inst, e.Frames)}"); }
            catch (ExhaustionException e) { return new(ExitStatus.Of(e), $"wasmspec run: {e.Reason}"); }
            catch (UncaughtWasmException) { return new(ExitStatus.Trap, "wasmspec run: uncaught exception"); }
            catch (HostException e) { return new(ExitStatus.Trap, $"wasmspec run: {e.Message}"); }
        }
    }

    /// <summary>A proc_exit status 0–125 passes through; any other (proc_exit takes a u32) is said, under a status of its own.</summary>
    static Outcome Exited(int code) => code is >= 0 and <= ExitStatus.MaxGuestStatus
        ? new(code, null)
        : new(ExitStatus.GuestStatusOutOfRange, $"wasmspec run: the program exited with status {(uint)code}, outside 0-{ExitStatus.MaxGuestStatus}");

    /// <summary>
    /// The frames of a trap, innermost first, as <c>#N 0xOFFSET - module!function</c>: the offset of the function's body
    /// in the binary module (a text module's binary encoding), the module's name (the name section's, else the file's)
    /// and the function's name from the name section (else <c>&lt;wasm function N&gt;</c>).
    /// </summary>
    internal static string Backtrace(Module module, string file, ModuleInstance? inst, IReadOnlyList<FuncInst> frames)
    {
        System.Collections.Immutable.ImmutableArray<int> bodies;
        try
        {
            // The offsets of the file as given; a text module's are those of its binary encoding.
            var bytes = File.ReadAllBytes(file);
            bodies = Spec.BinaryFormat.Binary.FunctionBodyOffsets(bytes.AsSpan().StartsWith("\0asm"u8) ? bytes : Spec.BinaryFormat.Binary.Encode(module));
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or WasmException)
        {
            bodies = []; // a module the binary format cannot express (custom page sizes), or a file gone: no offsets
        }
        int imported = module.ImportsOf(ExternKind.Func).Count();
        var moduleName = module.Names.Module ?? Path.GetFileNameWithoutExtension(file);
        var b = new System.Text.StringBuilder("backtrace:");
        int n = 0;
        foreach (var f in frames)
        {
            int index = inst is null || f.Module != inst ? -1 : IndexOf(inst.Funcs, f);
            var name = index < 0 ? "<function of another module>" : module.Names.FuncName((uint)index) ?? $"<wasm function {index}>";
            var offset = index >= imported && index - imported < bodies.Length ? $"0x{bodies[index - imported]:x}" : "0x?";
            b.Append($"\n  #{n++} {offset} - {moduleName}!{name}");
        }
        return b.ToString();
    }

    static int IndexOf(IReadOnlyList<FuncInst> funcs, FuncInst f)
    {
        for (int i = 0; i < funcs.Count; i++) if (ReferenceEquals(funcs[i], f)) return i;
        return -1;
    }

    /// <summary>A module in either format, decoded or parsed, and validated.</summary>
    internal static Module Load(string file, Features? features = null)
    {
        var module = ModuleFiles.Load(file, features);
        Validator.Validate(module, features ?? Features.Default);
        return module;
    }

    /// <summary>--dir HOST, HOST::GUEST, either followed by :ro.</summary>
    internal static WasiPreopen ParseDir(string spec)
    {
        bool ro = spec.EndsWith(":ro");
        if (ro) spec = spec[..^3];
        var at = spec.IndexOf("::", StringComparison.Ordinal);
        var (host, guest) = at < 0 ? (spec, spec) : (spec[..at], spec[(at + 2)..]);
        if (host.Length == 0 || guest.Length == 0) throw new UsageException($"bad --dir {spec}");
        return new WasiPreopen(host, guest, ro);
    }

    /// <summary>A result as a line: integers signed decimal, floats shortest round-trip, others as the value prints.</summary>
    internal static string Format(Value v) => v.Kind switch
    {
        ValueKind.I32 => v.AsI32.ToString(CultureInfo.InvariantCulture),
        ValueKind.I64 => v.AsI64.ToString(CultureInfo.InvariantCulture),
        ValueKind.F32 => v.AsF32.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.F64 => v.AsF64.ToString("R", CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    static int Count(string text, string flag) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"{flag} takes a count");

    static ulong Size(string text, string flag) =>
        Quantities.TryParseSize(text, out var n) ? n : throw new UsageException($"{flag} takes {Quantities.SizeSyntax}");

    static int Fail(string message, int status = ExitStatus.Failed)
    {
        Console.Error.WriteLine(message);
        return status;
    }

    sealed class UsageException(string message) : Exception(message);
}
