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
        Claims = new StoreClaims(Policy);
        cells = GC.AllocateArray<StoreCells>(1, pinned: true);
        Cells->DepthLeft = Policy.MaxCallDepth;
        Cells->StackLimit = 0;
    }

    /// <summary>The engine that runs this store's functions.</summary>
    public IEngine Engine { get; }

    /// <summary>The limits and hooks this store was made with.</summary>
    public StorePolicy Policy { get; }

    /// <summary>What the store's modules have claimed so far, counted against <see cref="Policy"/>'s limits.</summary>
    public StoreClaims Claims { get; }

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

    // ---- Stopping from outside: interruption and the deadline ----

    const int InterruptRequested = 1, DeadlinePassed = 2;
    CancellationTokenSource stopping = new();
    Timer? deadline;

    /// <summary>
    /// Asks running code to stop with "interrupted" at its next check (every loop iteration and call); may be called
    /// from any thread. If nothing runs, the next invocation stops at once. The request is consumed when observed.
    /// A host call blocked on I/O or a timer (one that watches <see cref="Stopping"/>) ends too.
    /// </summary>
    public void Interrupt() => Stop(InterruptRequested);

    /// <summary>
    /// Running code stops with "deadline exceeded" once <paramref name="timeout"/> has passed from now, host calls
    /// blocked on I/O or a timer end (those that watch <see cref="Stopping"/>), and every later invocation stops at
    /// once. Setting a deadline again replaces one that has not passed.
    /// </summary>
    public void SetDeadline(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        lock (cells)
        {
            deadline?.Dispose();
            // The timer holds the store weakly: a pending deadline must not keep a store no one uses (and its memories) alive.
            deadline = new Timer(static weak => { if (((WeakReference<Store>)weak!).TryGetTarget(out var store)) store.Stop(DeadlinePassed); },
                new WeakReference<Store>(this), timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Cancelled when running code is asked to stop (<see cref="Interrupt"/>, the deadline): what host functions that block wait on.</summary>
    public CancellationToken Stopping => Volatile.Read(ref stopping).Token;

    void Stop(int why)
    {
        lock (cells)
        {
            // A passed deadline stays; an interruption does not replace it.
            if (Cells->Interrupt != DeadlinePassed) Volatile.Write(ref Cells->Interrupt, why);
            // Native code checks its stack limit at every call and loop; an impossible limit sends it to the slow path.
            Volatile.Write(ref Cells->StackLimit, nint.MaxValue);
            stopping.Cancel();
        }
    }

    /// <summary>
    /// Why running code must stop now, or null: "interrupted" (the request is consumed) or "deadline exceeded" (it
    /// stays). Engines call it where <see cref="StoreCells.Interrupt"/> is set; host functions through <see cref="ThrowIfStopping"/>.
    /// </summary>
    internal TrapCode? TakeInterrupt()
    {
        switch (Interlocked.CompareExchange(ref Cells->Interrupt, 0, InterruptRequested))
        {
            case 0: return null;
            case InterruptRequested:
                lock (cells) if (stopping.IsCancellationRequested && Cells->Interrupt == 0) stopping = new();
                return TrapCode.Interrupted;
            default: return TrapCode.DeadlineExceeded;
        }
    }

    /// <summary>For a host function that waited on <see cref="Stopping"/>: throws the exhaustion that stops the run, if it must stop.</summary>
    public void ThrowIfStopping()
    {
        if (TakeInterrupt() is { } code) throw new ExhaustionException(code);
    }

    /// <summary>When set, called with the SpecTec name of every rule the interpreter applies (rule coverage, tracing).</summary>
    public Action<string>? Trace => Policy.Trace;
}

/// <summary>
/// How a store may be used: the limits on what its modules may claim, and who watches it step. This is the one list
/// of store limits: reaching one is exhaustion (<see cref="TrapCode.StoreLimit"/>) with a message naming it, never a
/// .NET out-of-memory error; a limit that memory.grow or table.grow would pass makes the instruction fail (-1).
/// </summary>
public sealed record StorePolicy
{
    public static readonly StorePolicy Default = new();

    /// <summary>How many Wasm frames may be live at once, in all nested invocations together, before "call stack exhausted".</summary>
    public int MaxCallDepth { get; init; } = 100_000;

    /// <summary>The bytes of linear memory all memories of the store may have together (a shared memory counts once, in the store that made it).</summary>
    public ulong MaxMemoryBytes { get; init; } = 8UL << 30;

    /// <summary>The elements all tables of the store may have together.</summary>
    public ulong MaxTableElements { get; init; } = 10_000_000;

    /// <summary>The bytes of live GC objects (structs and arrays) the store may hold, as <see cref="GcHeap"/> counts them.</summary>
    public long MaxGcHeapBytes { get; init; } = 1L << 30;

    /// <summary>How many module instances the store may hold.</summary>
    public int MaxInstances { get; init; } = 10_000;

    /// <summary>How many memories the store may hold.</summary>
    public int MaxMemories { get; init; } = 10_000;

    /// <summary>How many tables the store may hold.</summary>
    public int MaxTables { get; init; } = 10_000;

    /// <summary>How many bytes a memory64 may reserve (and so grow to); beyond it memory.grow returns -1.</summary>
    public ulong Memory64ReservationCap { get; init; } = 1UL << 33;

    /// <summary>When set, called with the SpecTec name of every rule the interpreter applies (rule coverage, tracing).</summary>
    public Action<string>? Trace { get; init; }

    /// <summary>Whether an observed interpreter also takes a bulk operation's recursion (memory.fill-succ, table.copy-le,
    /// array.init_data-num, ...) one element a step, as the spec writes it, rather than in one step.</summary>
    public bool ExactSteps { get; init; }
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
