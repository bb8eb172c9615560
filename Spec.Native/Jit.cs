using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Spec.Execution;
using Spec.Native.Compiler;
using Spec.Native.Runtime;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Native;

// The native engine: every module instance of a store made with it is compiled to x86-64 when instantiated, and
// every invocation runs that code on the calling thread's stack, entered through a stub per signature. It shares
// the store, its instances and cells and the host-function interface with the interpreter; what it cannot compile
// it reports (JitUnsupportedException), it never hands to another engine.

/// <summary>How the JIT compiles.</summary>
public sealed record JitOptions
{
    /// <summary>Compile fuel checks (needed to run a store that has fuel; costs a few instructions per branch).</summary>
    public bool Fuel { get; init; }

    /// <summary>Make every float result's NaN the positive canonical one, bit for bit what the interpreter computes
    /// (for differential testing); otherwise NaNs are whatever the spec allows and x86 gives.</summary>
    public bool CanonicalNaNs { get; init; }

    /// <summary>Keep each function's machine code with the Wasm instruction each part came from (<see cref="Jit.Listings"/>).</summary>
    public bool Listing { get; init; }
}

/// <summary>What the JIT made of one instance: <paramref name="CompileTime"/> is wall-clock time,
/// <paramref name="CompileCpuTime"/> the processor time of every thread that compiled, <paramref name="Parts"/> how
/// many parts the functions were compiled in (in parallel when more than one).</summary>
public sealed record JitStatistics(int Functions, int MachineCodeBytes, TimeSpan CompileTime, TimeSpan CompileCpuTime, int Parts, int NotCompiled);

/// <summary>A compiled function as <c>jit-dump</c> shows it: its machine code, and where each Wasm instruction's code begins.</summary>
public sealed record JitListing(int Function, ulong Address, byte[] Code, IReadOnlyList<JitMark> Marks, string? NotCompiled);

/// <summary>Where in a function's code a Wasm instruction (or the end of a block, the prologue, the trap stubs) begins.</summary>
public readonly record struct JitMark(int Offset, Instr? Instr, string? Note);

/// <summary>The x86-64 JIT as an engine: <c>new Store(new Jit())</c>.</summary>
public sealed unsafe class Jit(JitOptions? options = null) : IEngine
{
    public JitOptions Options { get; } = options ?? new JitOptions();

    public string Name => "jit";

    /// <summary>Whether this machine can run the JIT (Linux on x86-64 with SSE4.1 and POPCNT), and if not, why.</summary>
    public static string? Unsupported =>
        !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
            ? $"the JIT runs on Linux x86-64, not {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}"
            : !Sse41.IsSupported || !Popcnt.IsSupported ? "the JIT needs a CPU with SSE4.1 and POPCNT" : null;

    public void Instantiated(Store store, ModuleInstance instance)
    {
        if (Unsupported is { } why) throw new PlatformNotSupportedException(why);
        CheckFuel(store);
        var js = JitStore.Of(store);
        foreach (var f in instance.Funcs)
            if (!ReferenceEquals(f.Module, instance)) Prepare(js, f);
        var module = new JitModule(store, instance);
        instance.EngineData = module;
        ModuleCompiler.CompileModule(module, Options);
    }

    void CheckFuel(Store store)
    {
        if (store.Fuel is not null && !Options.Fuel)
            throw new InvalidOperationException("the store has fuel but this JIT does not meter it (JitOptions.Fuel)");
    }

    /// <summary>Gives a function's cell an entry compiled code can call: a host function gets its signature's stub.</summary>
    internal static void Prepare(JitStore js, FuncInst f)
    {
        var cell = f.Slot.Cell;
        if (cell->Entry != 0) return;
        if (f.Host is not null) { cell->Entry = Stubs.Host(f.FuncType); return; }
        throw new InvalidOperationException("a function of an instance this JIT did not compile");
    }

    /// <summary>The listings of <paramref name="instance"/>'s functions, when compiled with <see cref="JitOptions.Listing"/>.</summary>
    public static IReadOnlyList<JitListing> Listings(ModuleInstance instance) =>
        instance.EngineData is JitModule m ? m.Listings : [];

    /// <summary>What compiling <paramref name="instance"/> made: functions, bytes of machine code, and the time it took.</summary>
    public static JitStatistics Statistics(ModuleInstance instance) =>
        instance.EngineData is JitModule m
            ? new JitStatistics(m.Defined.Length, m.Code?.Length ?? 0, m.CompileTime, m.CompileCpuTime, m.Parts, m.NotCompiled.Count(r => r is not null))
            : throw new ArgumentException("the instance was not compiled by the JIT", nameof(instance));

    /// <summary>How much stack below the limit is kept for runtime functions and host code.</summary>
    const int StackReserve = 256 * 1024;

    // The slot buffer is written before it is read (arguments by the caller, results by the stub): no zeroing.
    [SkipLocalsInit]
    public IReadOnlyList<Value> Invoke(Store store, FuncInst func, IReadOnlyList<Value> args)
    {
        if (func.Host is not null) return func.CallHost(args);
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new ExhaustionException(TrapCode.CallStackExhausted);
        CheckFuel(store);
        var js = JitStore.Of(store);
        Prepare(js, func);
        var ft = func.FuncType;
        int slots = Math.Max(ft.Params.Length, ft.Results.Length);
        var buffer = stackalloc byte[Math.Max(1, slots) * Abi.SlotSize];
        for (int k = 0; k < args.Count; k++) js.Write(buffer + Abi.SlotSize * k, args[k]);

        var cells = store.Cells;
        var ctx = js.Context;
        var saved = (DepthLeft: cells->DepthLeft, HandlerTop: ctx->HandlerTop, StackLimit: cells->StackLimit, RealStackLimit: ctx->RealStackLimit,
            HandleMark: js.HandleMark, HandlerBase: js.HandlerBase, InvocationMark: js.InvocationMark);
        js.HandlerBase = ctx->HandlerTop;
        js.InvocationMark = js.HandleMark;
        // Code compiled with fuel checks runs an unmetered store as if its fuel never ended.
        bool metered = cells->Metered != 0;
        long unmeteredFuel = cells->Fuel;
        if (!metered) cells->Fuel = long.MaxValue;
        ctx->RealStackLimit = NativeStack.Low + StackReserve;
        cells->StackLimit = ctx->RealStackLimit;
        if (Volatile.Read(ref cells->Interrupt) != 0) Volatile.Write(ref cells->StackLimit, nint.MaxValue);
        int status;
        try
        {
            status = Stubs.Entry(ft)(cells, func.Slot.Cell, buffer, buffer);
        }
        finally
        {
            cells->DepthLeft = saved.DepthLeft;
            ctx->HandlerTop = saved.HandlerTop;
            js.HandlerBase = saved.HandlerBase;
            js.InvocationMark = saved.InvocationMark;
            if (!metered) cells->Fuel = unmeteredFuel;
            ctx->RealStackLimit = saved.RealStackLimit;
            // Keep an interruption that arrived meanwhile for the next check.
            if (cells->StackLimit != nint.MaxValue || Volatile.Read(ref cells->Interrupt) == 0) cells->StackLimit = saved.StackLimit;
        }
        try
        {
            if (status != Stubs.Ok)
            {
                var e = js.Pending ?? new InvalidOperationException("native code stopped without a reason");
                js.Pending = null;
                throw e is WasmException ? e : new HostException(e);
            }
            var results = new Value[ft.Results.Length];
            for (int k = 0; k < results.Length; k++) results[k] = js.Read(buffer + Abi.SlotSize * k, ft.Results[k]);
            return results;
        }
        finally { js.Release(saved.HandleMark); }
    }
}

/// <summary>The calling thread's stack, as the operating system reports it.</summary>
internal static unsafe class NativeStack
{
    [ThreadStatic] static nint low;

    /// <summary>The lowest address of the current thread's stack.</summary>
    public static nint Low => low != 0 ? low : low = Query();

    [DllImport("libc")] static extern nint pthread_self();
    [DllImport("libc")] static extern int pthread_getattr_np(nint thread, byte* attr);
    [DllImport("libc")] static extern int pthread_attr_getstack(byte* attr, nint* address, nuint* size);
    [DllImport("libc")] static extern int pthread_attr_destroy(byte* attr);

    static nint Query()
    {
        var attr = stackalloc byte[128]; // pthread_attr_t is 56 bytes on x86-64 glibc
        if (pthread_getattr_np(pthread_self(), attr) != 0) throw new PlatformNotSupportedException("cannot read the thread's stack bounds");
        nint address;
        nuint size;
        int r = pthread_attr_getstack(attr, &address, &size);
        pthread_attr_destroy(attr);
        if (r != 0) throw new PlatformNotSupportedException("cannot read the thread's stack bounds");
        return address;
    }
}
