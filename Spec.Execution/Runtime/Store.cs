using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.3 The store (spectec 4.0-execution.configurations: store), apart from how it may be used.
// Addresses are object identities: an instance object is its own address, so no store list is needed
// to look one up. The store still lists what allocation adds to it (funcs, tables, mems, globals, tags,
// elems, datas); structs, arrays and exceptions are reachable only through references so the .NET
// collector can reclaim them.
// Beside its contents a store has a policy (limits, tracing), an engine that runs its functions, and a few
// cells in unmanaged memory that running code reads and writes directly (fuel, the call-depth budget, the
// interruption flag): state, so mutable, and shared by both engines.

/// <summary>store: everything allocated by instantiation and by host allocation, and the engine that runs it.</summary>
public sealed unsafe class Store
{
    /// <summary>A store whose functions run on <paramref name="engine"/> (the reference interpreter by default).</summary>
    public Store(IEngine? engine = null, StorePolicy? policy = null)
    {
        Engine = engine ?? Reduction.Interpreter.Engine;
        Policy = policy ?? StorePolicy.Default;
        cells = GC.AllocateArray<StoreCells>(1, pinned: true);
        Cells->DepthLeft = Policy.MaxCallDepth;
        Cells->StackLimit = 0;
    }

    /// <summary>The engine that runs this store's functions.</summary>
    public IEngine Engine { get; }

    /// <summary>The limits and hooks this store was made with.</summary>
    public StorePolicy Policy { get; }

    // ---- The spec's store ----

    public IReadOnlyList<FuncInst> Funcs => funcs;
    internal readonly List<FuncInst> funcs = [];
    public IReadOnlyList<TableInst> Tables => tables;
    internal readonly List<TableInst> tables = [];
    public IReadOnlyList<MemInst> Mems => mems;
    internal readonly List<MemInst> mems = [];
    public IReadOnlyList<GlobalInst> Globals => globals;
    internal readonly List<GlobalInst> globals = [];
    public IReadOnlyList<TagInst> Tags => tags;
    internal readonly List<TagInst> tags = [];
    public IReadOnlyList<ElemInst> Elems => elems;
    internal readonly List<ElemInst> elems = [];
    public IReadOnlyList<DataInst> Datas => datas;
    internal readonly List<DataInst> datas = [];

    // ---- Running state ----

    readonly StoreCells[] cells;

    /// <summary>What the engine keeps for this store (the JIT: its per-store context); lives as long as the store.</summary>
    internal object? EngineData;

    /// <summary>The cells running code reads and writes; the array is pinned, so the address never changes.</summary>
    internal StoreCells* Cells => (StoreCells*)Unsafe.AsPointer(ref cells[0]);

    /// <summary>
    /// The fuel left, or null when execution is not metered. One unit is one Wasm instruction executed; a bulk
    /// operation (memory.fill/copy/init, table.*, array.fill/copy/init_*, array.new*) also costs one unit per byte
    /// or element it touches. Fuel is kept across invocations; when an instruction costs more than is left,
    /// execution stops with "fuel exhausted" before it.
    /// </summary>
    public long? Fuel
    {
        get => Cells->Metered != 0 ? Cells->Fuel : null;
        set
        {
            if (value is < 0) throw new ArgumentOutOfRangeException(nameof(value), "fuel cannot be negative");
            Cells->Metered = value is null ? 0 : 1;
            Cells->Fuel = value ?? 0;
        }
    }

    /// <summary>Adds <paramref name="units"/> of fuel, turning metering on if it was off.</summary>
    public void AddFuel(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Fuel = checked((Fuel ?? 0) + units);
    }

    /// <summary>Consumes <paramref name="units"/> of fuel when metered: "fuel exhausted" (nothing consumed) if fewer are left.</summary>
    internal void Charge(ulong units)
    {
        var c = Cells;
        if (c->Metered == 0) return;
        if ((ulong)c->Fuel < units) throw new ExhaustionException(TrapCode.FuelExhausted);
        c->Fuel -= (long)units;
    }

    /// <summary>
    /// Asks running code to stop with "interrupted" at its next check (every loop iteration and call); may be called
    /// from any thread. If nothing runs, the next invocation stops at once. The request is consumed when observed.
    /// </summary>
    public void Interrupt()
    {
        Volatile.Write(ref Cells->Interrupt, 1);
        // Native code checks its stack limit at every call and loop; an impossible limit sends it to the slow path.
        Volatile.Write(ref Cells->StackLimit, nint.MaxValue);
    }

    /// <summary>Whether an interruption is pending; clears it (the caller then stops with "interrupted").</summary>
    internal bool TakeInterrupt() => Interlocked.Exchange(ref Cells->Interrupt, 0) != 0;

    /// <summary>When set, called with the SpecTec name of every rule the interpreter applies (rule coverage, tracing).</summary>
    public Action<string>? Trace => Policy.Trace;
}

/// <summary>How a store may be used: the limits on what its modules may claim, and who watches it step.</summary>
public sealed record StorePolicy
{
    public static readonly StorePolicy Default = new();

    /// <summary>How many Wasm frames may be live at once, in all nested invocations together, before "call stack exhausted".</summary>
    public int MaxCallDepth { get; init; } = 100_000;

    /// <summary>How many bytes a memory64 may reserve (and so grow to); beyond it memory.grow returns -1.</summary>
    public ulong Memory64ReservationCap { get; init; } = 1UL << 33;

    /// <summary>The most elements a table may hold; growing beyond fails (returns -1).</summary>
    public ulong MaxTableSize { get; init; } = 10_000_000;

    /// <summary>When set, called with the SpecTec name of every rule the interpreter applies (rule coverage, tracing).</summary>
    public Action<string>? Trace { get; init; }
}

/// <summary>
/// The store's running state in unmanaged memory, at fixed offsets so that native code can address it.
/// Layout is part of the contract with <c>Spec.Native</c>: fields are only ever appended.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StoreCells
{
    /// <summary>The lowest native stack address running code may use; <see cref="nint.MaxValue"/> to interrupt it.</summary>
    public nint StackLimit;
    /// <summary>Fuel left, when <see cref="Metered"/>.</summary>
    public long Fuel;
    /// <summary>How many more Wasm frames may be entered (the call-depth budget).</summary>
    public long DepthLeft;
    /// <summary>1 when the embedder asked running code to stop.</summary>
    public int Interrupt;
    /// <summary>1 when execution consumes <see cref="Fuel"/>.</summary>
    public int Metered;
    /// <summary>The engine's own per-store block, if it keeps one.</summary>
    public nint Engine;
}

/// <summary>externaddr ::= TAG tagaddr | GLOBAL globaladdr | MEM memaddr | TABLE tableaddr | FUNC funcaddr</summary>
public abstract record ExternVal
{
    public sealed record Func(FuncInst Inst) : ExternVal;
    public sealed record Table(TableInst Inst) : ExternVal;
    public sealed record Mem(MemInst Inst) : ExternVal;
    public sealed record Global(GlobalInst Inst) : ExternVal;
    public sealed record Tag(TagInst Inst) : ExternVal;

    public ExternKind Kind => this switch
    {
        Func => ExternKind.Func, Table => ExternKind.Table, Mem => ExternKind.Mem, Global => ExternKind.Global, _ => ExternKind.Tag,
    };
}
