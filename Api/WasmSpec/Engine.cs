using System.Runtime.InteropServices;
using Spec.Execution;
using Spec.Native;
using Spec.Syntax;

namespace WasmSpec;

// The engine: how code is run (the reference interpreter or the x86-64 JIT), which features modules may use, and
// whether stores meter fuel and watch the epoch. The epoch is the engine's one piece of mutable state: a counter
// any thread may advance, and the stores whose deadline it passes are interrupted.

/// <summary>Which of the two engines runs Wasm code.</summary>
public enum EngineKind
{
    /// <summary>The spec's small-step reduction, rule by rule.</summary>
    Interpreter,
    /// <summary>The x86-64 compiler: one pass per function, at instantiation.</summary>
    Jit,
}

/// <summary>How an <see cref="Engine"/> runs code.</summary>
public sealed record EngineConfig
{
    /// <summary>The interpreter (the default) or the JIT.</summary>
    public EngineKind Kind { get; init; } = EngineKind.Interpreter;

    /// <summary>Which WebAssembly features modules may use (Wasm 3.0 by default).</summary>
    public Features Features { get; init; } = Features.Default;

    /// <summary>Stores meter fuel: each starts with none, <see cref="Store.AddFuel"/> gives it, running out is <see cref="TrapCode.FuelExhausted"/>.</summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>Stores may set an epoch deadline (<see cref="Store.SetEpochDeadline"/>), which <see cref="Engine.IncrementEpoch"/> can pass.</summary>
    public bool EpochInterruption { get; init; }
}

/// <summary>
/// Runs modules: <c>var engine = new Engine(new EngineConfig { Kind = EngineKind.Jit });</c>. Built and tested on
/// Linux x64 only; elsewhere the constructor throws <see cref="PlatformNotSupportedException"/>.
/// </summary>
public sealed class Engine
{
    public Engine(EngineConfig? config = null)
    {
        Platform.EnsureSupported();
        Config = config ?? new EngineConfig();
        if (Config.Kind == EngineKind.Jit && Jit.Unsupported is { } why) throw new PlatformNotSupportedException(why);
    }

    public EngineConfig Config { get; }

    /// <summary>The engine a new store runs on; the JIT keeps per-store state, so one per store is cheap and safe.</summary>
    internal IEngine MakeRuntimeEngine() => Config.Kind switch
    {
        EngineKind.Jit => new Jit(new JitOptions { Fuel = Config.ConsumeFuel }),
        _ => Spec.Execution.Reduction.Interpreter.Engine,
    };

    // ---- The epoch ----

    long epoch;
    readonly List<WeakReference<Store>> watching = [];

    /// <summary>The current epoch: how many times <see cref="IncrementEpoch"/> was called.</summary>
    public ulong Epoch => (ulong)Interlocked.Read(ref epoch);

    /// <summary>
    /// Advances the epoch by one; any store whose epoch deadline it reaches stops its running Wasm with
    /// <see cref="TrapCode.Interrupted"/> (or its next call, if none runs). Safe to call from any thread, e.g. a timer.
    /// </summary>
    public void IncrementEpoch()
    {
        var now = (ulong)Interlocked.Increment(ref epoch);
        lock (watching)
        {
            watching.RemoveAll(w => !w.TryGetTarget(out _));
            foreach (var w in watching)
                if (w.TryGetTarget(out var store)) store.EpochReached(now);
        }
    }

    internal void Watch(Store store)
    {
        lock (watching) watching.Add(new WeakReference<Store>(store));
    }
}

/// <summary>The one place that says which platforms the library runs on.</summary>
internal static class Platform
{
    /// <summary>Throws <see cref="PlatformNotSupportedException"/> anywhere but Linux x64: memory reservation, WASI's host calls and the JIT's code memory are written for it.</summary>
    public static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new PlatformNotSupportedException(
                $"WasmSpec runs on Linux x64; this is {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}");
    }
}
