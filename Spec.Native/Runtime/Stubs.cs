using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using Spec.Native.X64;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Runtime;

// The fixed pieces of machine code between compiled functions and the runtime, made once per process:
//   - Unwind: a trap or an uncaught exception returns to the innermost entry stub (its saved stack pointer);
//   - Land: a caught exception resumes in the frame of the try that caught it;
//   - Fault: after a helper reported failure (eax = 1: unwind, 2: land);
//   - InterruptCheck: the slow path of the stack-limit check (interruption, real overflow); keeps every register;
//   - CheckCallee: the slow path of an indirect call (a subtype, or a function not prepared yet); keeps every register;
//   - RaiseTrap: a trap site's common tail;
//   - an entry stub per signature shape (the host calls compiled code) and a host stub per shape (compiled code
//     calls a host function through its cell).
// No .NET exception ever crosses these: helpers catch everything and report a status.

internal static unsafe class Stubs
{
    /// <summary>Status a helper returns: continue, unwind to the entry, or resume at a landing pad.</summary>
    public const int Ok = 0, Abort = 1, Caught = 2;

    static readonly List<CodeMemory> Kept = [];
    static readonly object Gate = new();

    public static readonly nint Unwind, Land, Fault, InterruptCheck, CheckCallee, RaiseTrap;

    static Stubs()
    {
        var a = new Assembler();
        var unwind = a.NewLabel();
        var land = a.NewLabel();
        var fault = a.NewLabel();
        var interrupt = a.NewLabel();
        var checkCallee = a.NewLabel();
        var raiseTrap = a.NewLabel();

        // Unwind: eax holds the status; the entry stub's exit restores everything else.
        a.Bind(unwind);
        a.Mov(Width.W64, Rcx, Mem.At(R14, Layout.Engine));
        a.Mov(Width.W64, Rsp, Mem.At(Rcx, Layout.EntryRsp));
        a.Jmp(Mem.At(Rcx, Layout.EntryExit));

        a.Bind(land);
        a.Mov(Width.W64, Rcx, Mem.At(R14, Layout.Engine));
        a.Mov(Width.W64, Rsp, Mem.At(Rcx, Layout.LandRsp));
        a.Mov(Width.W64, Rbp, Mem.At(Rcx, Layout.LandRbp));
        a.Jmp(Mem.At(Rcx, Layout.LandPc));

        a.Bind(fault);
        a.Alu(AluOp.Cmp, Width.W32, Rax, Caught);
        a.Jcc(Cond.E, land);
        a.Jmp(unwind);

        a.Bind(interrupt);
        SaveAndCall(a, unwind, (nint)(delegate* unmanaged<StoreCells*, nint, int>)&Helpers.StackCheck, a2 =>
        {
            a2.Mov(Width.W64, Rdi, R14);
            a2.Lea(Width.W64, Rsi, Mem.At(Rbp, 16)); // the checking frame's stack pointer
        });

        a.Bind(checkCallee);
        SaveAndCall(a, unwind, (nint)(delegate* unmanaged<StoreCells*, FuncCell*, int, int>)&Helpers.CheckCallee, a2 =>
        {
            a2.Mov(Width.W64, Rdi, R14);
            a2.Mov(Width.W64, Rsi, Rax);
            a2.Mov(Width.W32, Rdx, R10);
        });

        // RaiseTrap: esi = code, edx = detail, rcx = an address in the trapping function, rbp its frame.
        a.Bind(raiseTrap);
        a.Mov(Width.W64, Rdi, R14);
        a.Mov(Width.W64, R8, Rbp);
        a.Alu(AluOp.And, Width.W64, Rsp, -16);
        a.MovImm(Rax, (ulong)(nint)(delegate* unmanaged<StoreCells*, int, long, nint, nint, void>)&Helpers.RaiseTrap);
        a.Call(Rax);
        a.MovImm(Rax, Abort);
        a.Jmp(unwind);

        var code = Keep(a);
        Unwind = code + unwind.Offset;
        Land = code + land.Offset;
        Fault = code + fault.Offset;
        InterruptCheck = code + interrupt.Offset;
        CheckCallee = code + checkCallee.Offset;
        RaiseTrap = code + raiseTrap.Offset;
    }

    /// <summary>Registers a stub keeps for its caller: every one System V lets a callee clobber.</summary>
    static readonly Reg[] Volatile = [Rax, Rcx, Rdx, Rsi, Rdi, R8, R9, R10, R11];

    /// <summary>A stub entered by call that saves every caller-saved register, calls <paramref name="helper"/>
    /// (arguments set by <paramref name="args"/>), unwinds if it failed, and otherwise returns with all registers intact.</summary>
    static void SaveAndCall(Assembler a, Label unwind, nint helper, Action<Assembler> args)
    {
        a.Push(Rbp);
        a.Mov(Width.W64, Rbp, Rsp);
        foreach (var r in Volatile) a.Push(r);
        // 9 pushes leave rsp 8 below a 16-byte boundary; 16 xmm slots and 8 bytes of padding realign it.
        a.Alu(AluOp.Sub, Width.W64, Rsp, 16 * 16 + 8);
        for (int x = 0; x < 16; x++) a.Movdqu(Mem.At(Rsp, 16 * x), (Xmm)x);
        args(a);
        a.MovImm(R11, (ulong)helper);
        a.Call(R11);
        a.Test(Width.W32, Rax, Rax);
        a.Jcc(Cond.NE, unwind);
        for (int x = 0; x < 16; x++) a.Sse(SseOp.Movdqu, (Xmm)x, Mem.At(Rsp, 16 * x));
        a.Alu(AluOp.Add, Width.W64, Rsp, 16 * 16 + 8);
        for (int k = Volatile.Length - 1; k >= 0; k--) a.Pop(Volatile[k]);
        a.Pop(Rbp);
        a.Ret();
    }

    static nint Keep(Assembler a)
    {
        if (a.UnresolvedFixups != 0) throw new InvalidOperationException("a stub jumps to an unbound label");
        var mem = CodeMemory.Create(a.Code);
        lock (Gate) Kept.Add(mem);
        return mem.Address;
    }

    // ---- Per-signature stubs ----

    static readonly ConcurrentDictionary<string, nint> EntryStubs = new(), HostStubs = new();

    /// <summary>
    /// The entry stub for functions of <paramref name="ft"/>'s shape, as a System V function
    /// <c>int (StoreCells* cells, FuncCell* callee, byte* args, byte* results)</c>: arguments and results are
    /// 16-byte slots; the status is <see cref="Ok"/> or <see cref="Abort"/> (the store's JIT state says why).
    /// </summary>
    public static delegate* unmanaged<StoreCells*, FuncCell*, byte*, byte*, int> Entry(FuncType ft)
    {
        // Every call from the host asks, most often for the type it asked last; else the type object remembers its
        // stub, so the shape is spelled once per type.
        var last = lastEntry;
        if (last is not null && ReferenceEquals(last.Type, ft)) return (delegate* unmanaged<StoreCells*, FuncCell*, byte*, byte*, int>)last.Stub;
        if (!EntryOfType.TryGetValue(ft, out var known))
            EntryOfType.AddOrUpdate(ft, known = new StrongBox<nint>(EntryStubs.GetOrAdd(Abi.Shape(ft), _ => MakeEntry(ft))));
        lastEntry = new LastEntry(ft, known.Value);
        return (delegate* unmanaged<StoreCells*, FuncCell*, byte*, byte*, int>)known.Value;
    }

    static readonly ConditionalWeakTable<FuncType, StrongBox<nint>> EntryOfType = new();

    /// <summary>The type asked for last and its stub, as one object: a thread reads both or neither.</summary>
    sealed record LastEntry(FuncType Type, nint Stub);

    static LastEntry? lastEntry;

    static nint MakeEntry(FuncType ft)
    {
        var ps = Abi.Place(ft.Params, false);
        var rs = Abi.Place(ft.Results, true);
        int area = Math.Max(Abi.StackSlots(ft), Abi.TailCallSlots) * Abi.SlotSize;
        var a = new Assembler(256);
        var exit = a.NewLabel();
        a.Push(Rbp);
        a.Mov(Width.W64, Rbp, Rsp);
        foreach (var r in (Reg[])[Rbx, R12, R13, R14, R15]) a.Push(r);
        a.Mov(Width.W64, R14, Rdi);
        a.Mov(Width.W64, Rax, Mem.At(R14, Layout.Engine));
        a.Push(Rax); // placeholder at rbp-48, overwritten next
        a.Mov(Width.W64, R11, Mem.At(Rax, Layout.EntryRsp));
        a.Mov(Width.W64, Mem.At(Rbp, -48), R11);
        a.Mov(Width.W64, R11, Mem.At(Rax, Layout.EntryExit));
        a.Push(R11);  // rbp-56: the previous exit
        a.Push(Rcx);  // rbp-64: where results go
        a.Push(Rsi);  // rbp-72: the callee's cell
        a.Alu(AluOp.Sub, Width.W64, Rsp, area + 8);
        a.Mov(Width.W64, Mem.At(Rax, Layout.EntryRsp), Rsp);
        a.Lea(Width.W64, R11, Mem.Rip(exit));
        a.Mov(Width.W64, Mem.At(Rax, Layout.EntryExit), R11);
        a.Mov(Width.W64, R11, Rdx);
        a.Mov(Width.W64, Rax, Rsi);
        for (int k = 0; k < ps.Length; k++)
        {
            var src = Mem.At(R11, Abi.SlotSize * k);
            var p = ps[k];
            if (p.OnStack)
            {
                a.Sse(SseOp.Movdqu, Xmm.Xmm15, src);
                a.Movdqu(Mem.At(Rsp, Abi.SlotSize * p.Slot), Xmm.Xmm15);
            }
            else if (p.IsFloat) a.Sse(SseOp.Movdqu, p.Xmm, src);
            else a.Mov(p.Class == VClass.I32 ? Width.W32 : Width.W64, p.Gpr, src);
        }
        a.Call(Mem.At(Rax, Layout.CellEntry));
        a.Mov(Width.W64, R11, Mem.At(Rbp, -64));
        for (int k = 0; k < rs.Length; k++)
        {
            var dst = Mem.At(R11, Abi.SlotSize * k);
            var r = rs[k];
            if (r.OnStack)
            {
                a.Sse(SseOp.Movdqu, Xmm.Xmm15, Mem.At(Rsp, Abi.SlotSize * r.Slot));
                a.Movdqu(dst, Xmm.Xmm15);
            }
            else if (r.IsFloat) a.Movdqu(dst, r.Xmm);
            else a.Mov(Width.W64, dst, r.Gpr);
        }
        a.MovImm(Rax, Ok);
        a.Bind(exit);
        // An unwind arrives with rsp restored but rbp anywhere: the frame pointer follows from the stack pointer.
        a.Lea(Width.W64, Rbp, Mem.At(Rsp, area + 8 + 72));
        a.Mov(Width.W64, Rcx, Mem.At(R14, Layout.Engine));
        a.Mov(Width.W64, R11, Mem.At(Rbp, -48));
        a.Mov(Width.W64, Mem.At(Rcx, Layout.EntryRsp), R11);
        a.Mov(Width.W64, R11, Mem.At(Rbp, -56));
        a.Mov(Width.W64, Mem.At(Rcx, Layout.EntryExit), R11);
        a.Lea(Width.W64, Rsp, Mem.At(Rbp, -40));
        foreach (var r in (Reg[])[R15, R14, R13, R12, Rbx]) a.Pop(r);
        a.Pop(Rbp);
        a.Ret();
        return Keep(a);
    }

    /// <summary>The stub compiled code calls a host function of <paramref name="ft"/>'s shape through (its cell in rax).</summary>
    public static nint Host(FuncType ft) => HostStubs.GetOrAdd(Abi.Shape(ft), _ => MakeHost(ft));

    static nint MakeHost(FuncType ft)
    {
        var ps = Abi.Place(ft.Params, false);
        var rs = Abi.Place(ft.Results, true);
        int slots = Math.Max(ps.Length, rs.Length);
        int buffer = (slots * Abi.SlotSize + 15) & ~15;
        var a = new Assembler(256);
        a.Push(Rbp);
        a.Mov(Width.W64, Rbp, Rsp);
        if (buffer > 0) a.Alu(AluOp.Sub, Width.W64, Rsp, buffer);
        for (int k = 0; k < ps.Length; k++)
        {
            var dst = Mem.At(Rsp, Abi.SlotSize * k);
            var p = ps[k];
            if (p.OnStack)
            {
                a.Sse(SseOp.Movdqu, Xmm.Xmm15, Mem.At(Rbp, 16 + Abi.SlotSize * p.Slot));
                a.Movdqu(dst, Xmm.Xmm15);
            }
            else if (p.IsFloat) a.Movdqu(dst, p.Xmm);
            else a.Mov(Width.W64, dst, p.Gpr);
        }
        a.Mov(Width.W64, Rdi, R14);
        a.Mov(Width.W64, Rsi, Rax);
        a.Mov(Width.W64, Rdx, Rsp);
        a.Mov(Width.W64, Rcx, Rbp);
        a.MovImm(Rax, (ulong)(nint)(delegate* unmanaged<StoreCells*, FuncCell*, byte*, nint, int>)&Helpers.HostCall);
        a.Call(Rax);
        a.Test(Width.W32, Rax, Rax);
        a.MovImm(R11, (ulong)Fault);
        var ok = a.NewLabel();
        a.Jcc(Cond.E, ok);
        a.Jmp(R11);
        a.Bind(ok);
        for (int k = 0; k < rs.Length; k++)
        {
            var src = Mem.At(Rsp, Abi.SlotSize * k);
            var r = rs[k];
            if (r.OnStack)
            {
                a.Sse(SseOp.Movdqu, Xmm.Xmm15, src);
                a.Movdqu(Mem.At(Rbp, 16 + Abi.SlotSize * r.Slot), Xmm.Xmm15);
            }
            else if (r.IsFloat) a.Sse(SseOp.Movdqu, r.Xmm, src);
            else a.Mov(r.Class == VClass.I32 ? Width.W32 : Width.W64, r.Gpr, src);
        }
        a.Mov(Width.W64, Rsp, Rbp);
        a.Pop(Rbp);
        a.Ret();
        return Keep(a);
    }
}
