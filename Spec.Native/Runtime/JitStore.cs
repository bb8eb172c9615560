using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Spec.Execution;
using Spec.Native.Compiler;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Native.Runtime;

// The JIT's state for one store. Native code reaches it through StoreCells.Engine, a pointer to the JitContext
// block below (pinned, so the address never changes); helpers reach the managed side through the block's weak
// handle. Mutable by nature: it is the running machine's state between native code and the runtime.
//
// References in native code are handles, never object addresses (the .NET collector moves objects): 0 is null,
// an odd value 2i+1 is the i31 reference i, and an even value 2k indexes the handle table, which holds the
// object. Native code copies handles freely; only helpers turn them into objects and back.

/// <summary>The native part of the JIT's per-store state. Layout is shared with generated code (see <see cref="Layout"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JitContext
{
    /// <summary>The stack pointer of the innermost entry stub, which a trap unwinds to.</summary>
    public nint EntryRsp;
    /// <summary>Where that entry stub returns from after an unwind.</summary>
    public nint EntryExit;
    /// <summary>The next free exception handler record.</summary>
    public nint HandlerTop;
    /// <summary>The end of the handler record area: pushing past it is exhaustion.</summary>
    public nint HandlerEnd;
    /// <summary>Where a caught exception resumes: stack pointer, frame pointer, code.</summary>
    public nint LandRsp;
    public nint LandRbp;
    public nint LandPc;
    /// <summary>A weak handle to the <see cref="JitStore"/>.</summary>
    public nint Self;
    /// <summary>The stack limit of the thread running the store, which StoreCells.StackLimit returns to after an interruption check.</summary>
    public nint RealStackLimit;
    /// <summary>Which catch clause of the landing try caught the exception.</summary>
    public int LandClause;
    public int Padding;
}

/// <summary>An active try (try_table or legacy try) as native code records it while its body runs.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HandlerRecord
{
    public nint Rbp;
    public nint Rsp;
    public nint Landing;
    /// <summary>The call-depth budget left when the try began, restored when it catches.</summary>
    public long DepthLeft;
    /// <summary>A weak handle to the compiled module the try is in.</summary>
    public nint Module;
    /// <summary>The try's index among the module's tries.</summary>
    public int Site;
    public int Padding;
}

/// <summary>The JIT's state for one store: the native context, the handle table, and how the last run ended.</summary>
internal sealed unsafe class JitStore
{
    /// <summary>How many tries may be active at once in one store.</summary>
    const int MaxHandlers = 1 << 16;

    readonly JitContext[] context = GC.AllocateArray<JitContext>(1, pinned: true);
    readonly HandlerRecord[] handlers = GC.AllocateArray<HandlerRecord>(MaxHandlers, pinned: true);
    readonly GCHandle self;

    JitStore(Store store)
    {
        Store = store;
        self = GCHandle.Alloc(this, GCHandleType.Weak);
        var c = Context;
        c->Self = GCHandle.ToIntPtr(self);
        c->HandlerTop = (nint)Unsafe.AsPointer(ref handlers[0]);
        c->HandlerEnd = c->HandlerTop + MaxHandlers * sizeof(HandlerRecord);
        store.Cells->Engine = (nint)c;
        // At the GC heap's limit, the handles no frame holds go first, so that the .NET GC can reclaim their objects.
        store.Claims.Heap.Reclaim = () => { if (site.Roots is { } roots) CollectHandles(site.Rbp, roots); };
    }

    /// <summary>The runtime call in progress (its frame and the frame's reference slots), while the runtime does an instruction.</summary>
    internal (nint Rbp, int[]? Roots) site;

    ~JitStore() => self.Free();

    /// <summary>The store's JIT state, made on first use.</summary>
    public static JitStore Of(Store store)
    {
        if (store.EngineData is JitStore j) return j;
        lock (store)
        {
            if (store.EngineData is JitStore again) return again;
            var made = new JitStore(store);
            store.EngineData = made;
            return made;
        }
    }

    /// <summary>The JIT state of the store whose cells are <paramref name="cells"/> (from a helper).</summary>
    public static JitStore From(StoreCells* cells) => (JitStore)GCHandle.FromIntPtr(((JitContext*)cells->Engine)->Self).Target!;

    public Store Store { get; }

    public JitContext* Context => (JitContext*)Unsafe.AsPointer(ref context[0]);

    /// <summary>Why the innermost native run unwound: a trap, exhaustion, an uncaught exception or a failed host call.</summary>
    public Exception? Pending;

    /// <summary>The exception a landing pad is about to take.</summary>
    public ExnInst? Caught;

    // ---- Values in 16-byte slots (arguments, results, operands of runtime instructions) ----

    /// <summary>The value of type <paramref name="t"/> in a slot: numbers by their bits, references by handle.</summary>
    public Value Read(byte* slot, ValType t) => Read(slot, Abi.ClassOf(t));

    public Value Read(byte* slot, VClass c) => c switch
    {
        VClass.I32 => Value.I32(*(uint*)slot),
        VClass.I64 => Value.I64(*(ulong*)slot),
        VClass.F32 => Value.F32Bits(*(uint*)slot),
        VClass.F64 => Value.F64Bits(*(ulong*)slot),
        VClass.V128 => Value.V128(new V128(*(ulong*)slot, *(ulong*)(slot + 8))),
        _ => Value.Reference(Deref(*(ulong*)slot)),
    };

    /// <summary>Writes <paramref name="v"/> to a slot (an i32 zero-extended, as registers hold it).</summary>
    public void Write(byte* slot, Value v)
    {
        if (v.Kind == ValueKind.Ref) { *(ulong*)slot = Handle(v.Ref); return; }
        *(ulong*)slot = v.Kind is ValueKind.I32 or ValueKind.F32 ? (uint)v.Bits : v.Bits;
        *(ulong*)(slot + 8) = v.Hi;
    }

    // ---- Exceptions ----

    /// <summary>The first handler record of the innermost invocation: a throw searches the records above it.</summary>
    public nint HandlerBase;

    /// <summary>
    /// Throws <paramref name="exn"/>: the innermost try of this invocation whose clauses catch it gets it (a delegate
    /// skips the records it names); its landing pad is set and <see cref="Stubs.Caught"/> returned. With none, the
    /// exception leaves the invocation (<see cref="Stubs.Abort"/>).
    /// </summary>
    public int Throw(ExnInst exn)
    {
        var ctx = Context;
        var floor = (HandlerRecord*)HandlerBase;
        for (var rec = (HandlerRecord*)ctx->HandlerTop; rec > floor;)
        {
            rec--;
            switch (JitModule.FromHandle(rec->Module).Sites[rec->Site])
            {
                case DelegateSite d:
                    rec -= d.Skip;
                    continue;
                case TryTableSite t:
                    for (int k = 0; k < t.Catches.Length; k++)
                        if (t.Tags[k] is null || ReferenceEquals(t.Tags[k], exn.Tag)) return Land(rec, k, exn);
                    continue;
                case LegacyTrySite l:
                    for (int k = 0; k < l.Tags.Length; k++)
                        if (l.Tags[k] is null || ReferenceEquals(l.Tags[k], exn.Tag)) return Land(rec, k, exn);
                    continue;
            }
        }
        Pending = new UncaughtWasmException(exn);
        return Stubs.Abort;
    }

    /// <summary>The try of <paramref name="rec"/> catches with clause <paramref name="clause"/>: its frame resumes at its landing pad.</summary>
    int Land(HandlerRecord* rec, int clause, ExnInst exn)
    {
        var ctx = Context;
        ctx->LandRsp = rec->Rsp;
        ctx->LandRbp = rec->Rbp;
        ctx->LandPc = rec->Landing;
        ctx->LandClause = clause;
        Store.Cells->DepthLeft = rec->DepthLeft;
        ctx->HandlerTop = (nint)rec; // this try and those inside it are left
        Caught = exn;
        return Stubs.Caught;
    }

    // ---- Handles ----

    Ref?[] handles = new Ref?[256];
    int handleCount = 1; // index 0 is never used: handle 0 is null

    /// <summary>The reference a handle stands for.</summary>
    public Ref? Deref(ulong h) => h == 0 ? null : (h & 1) != 0 ? new I31Ref((uint)(h >> 1)) : handles[h >> 1];

    /// <summary>A handle for <paramref name="r"/>.</summary>
    public ulong Handle(Ref? r)
    {
        switch (r)
        {
            case null: return 0;
            case I31Ref i: return ((ulong)i.Value << 1) | 1;
        }
        if (handleCount == handles.Length) Array.Resize(ref handles, handles.Length * 2);
        handles[handleCount] = r;
        return (ulong)handleCount++ << 1;
    }

    /// <summary>The first handle of the innermost invocation from the host: only handles from it on are ever collected,
    /// since the frames of outer invocations are beyond the host's.</summary>
    public int InvocationMark = 1;

    /// <summary>How many handles an invocation may make before the unreachable ones are collected.</summary>
    int collectAt = 4096;

    /// <summary>
    /// At a call from compiled code (a runtime instruction, a host call): when the invocation has made many handles,
    /// those no frame holds any more are dropped and the rest renumbered. The roots are the reference slots of each
    /// compiled frame of this invocation, innermost first: <paramref name="rbp"/>'s are <paramref name="roots"/>,
    /// each caller's are found by the return address into it (JitModule.RootsAt). References never sit in registers
    /// across a call, so the frames' slots are all there is.
    /// </summary>
    public void CollectHandlesIfFull(nint rbp, int[] roots)
    {
        if (HandlesFull) CollectHandles(rbp, roots);
    }

    /// <summary>Whether this invocation has made enough handles to collect the unused ones.</summary>
    public bool HandlesFull => handleCount - InvocationMark >= collectAt;

    /// <summary>Drops the handles made in this invocation that no frame holds (see <see cref="CollectHandlesIfFull"/>).</summary>
    public void CollectHandles(nint rbp, int[] roots)
    {
        var slots = new List<nint>();
        foreach (var d in roots) slots.Add(rbp + d);
        nint pc = *(nint*)(rbp + 8), fp = *(nint*)rbp;
        while (CodeRegistry.ModuleAt(pc) is { } m)
        {
            foreach (var d in m.RootsAt(pc)) slots.Add(fp + d);
            pc = *(nint*)(fp + 8);
            fp = *(nint*)fp;
        }
        var renumbered = new Dictionary<ulong, ulong>();
        var kept = new List<Ref?>();
        foreach (var slot in slots)
        {
            ulong h = *(ulong*)slot;
            if (h == 0 || (h & 1) != 0 || (long)(h >> 1) < InvocationMark || (long)(h >> 1) >= handleCount) continue;
            if (!renumbered.TryGetValue(h, out var n))
            {
                n = (ulong)(InvocationMark + kept.Count) << 1;
                kept.Add(handles[h >> 1]);
                renumbered[h] = n;
            }
            *(ulong*)slot = n;
        }
        Array.Clear(handles, InvocationMark, handleCount - InvocationMark);
        kept.CopyTo(handles, InvocationMark);
        handleCount = InvocationMark + kept.Count;
        collectAt = Math.Max(4096, 2 * kept.Count);
        Collections++;
    }

    /// <summary>How often handles were collected (for tests).</summary>
    public int Collections;

    /// <summary>How many handles are live; <see cref="Release"/> gives back those made after a mark.</summary>
    public int HandleMark => handleCount;

    /// <summary>Forgets every handle made since <paramref name="mark"/> (an invocation from the host has ended).</summary>
    public void Release(int mark)
    {
        Array.Clear(handles, mark, handleCount - mark);
        handleCount = mark;
    }
}
