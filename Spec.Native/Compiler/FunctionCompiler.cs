using System.Collections.Immutable;
using System.Numerics;
using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// One function, compiled in one pass over its instructions (after a quick count of how often each local is used,
// to choose which locals live in registers). The compiler keeps an abstract operand stack (Values.cs) and emits
// code as it reads each instruction; values stay in registers, constants stay constants, and comparisons stay in
// the flags until something needs them elsewhere. At control-flow joins the machine state is made to agree with
// what the label expects (Merge.cs). This file holds the machine picture and its primitive operations; the
// instruction groups are in FunctionCompiler.*.cs. Mutable by nature: a compiler's working state.
//
// Frame, from rbp down: [rbp+16..] stack-passed parameters and results, [rbp+8] return address, [rbp] saved rbp,
// [rbp-8] and [rbp-16] reserved, then 16-byte slots: each local's home, then one per operand stack position; the
// outgoing argument area is at the bottom ([rsp+16k]). rsp stays 16-byte aligned in the body.

internal sealed partial class FunctionCompiler
{
    /// <summary>The scratch registers: never allocated, free for any instruction's own use between two values.</summary>
    const Reg Scratch = R11;
    const Xmm XScratch = Xmm.Xmm15;
    const int FixedArea = 16;

    /// <summary>Registers for operand values, in the order they are taken. rax, rcx, rdx and r10 are never pinned.</summary>
    static readonly Reg[] Gprs = [Rax, Rcx, Rdx, R10, R9, R8, Rsi, Rdi, R15, Rbx];
    /// <summary>Registers locals may be pinned to, best first.</summary>
    static readonly Reg[] PinnableGprs = [Rbx, R15, Rdi, Rsi, R8, R9];
    static readonly Xmm[] Xmms = [Xmm.Xmm0, Xmm.Xmm1, Xmm.Xmm2, Xmm.Xmm3, Xmm.Xmm4, Xmm.Xmm5, Xmm.Xmm6, Xmm.Xmm7,
        Xmm.Xmm8, Xmm.Xmm9, Xmm.Xmm10, Xmm.Xmm11, Xmm.Xmm12, Xmm.Xmm13, Xmm.Xmm14];
    static readonly Xmm[] PinnableXmms = [Xmm.Xmm14, Xmm.Xmm13, Xmm.Xmm12, Xmm.Xmm11, Xmm.Xmm10, Xmm.Xmm9, Xmm.Xmm8];

    readonly ModuleCompiler mc;
    readonly Assembler a;
    readonly FuncInst func;
    readonly int index;
    readonly FuncType type;
    readonly int numLocals;
    readonly VClass[] localClass;
    readonly ValType[] localType;
    /// <summary>For each local: the register it is pinned to, or -1 when it lives in its home slot.</summary>
    readonly int[] localReg;
    readonly Where[] localWhere;
    int pinnedGprs, pinnedXmms;
    readonly bool usesMemory0;

    Entry[] stack = new Entry[32];
    int sp, maxSp;
    /// <summary>Registers owned by operand entries (including ones an instruction has popped and not yet released).</summary>
    int gprBusy, xmmBusy;
    int maxOutgoing;
    bool unreachable;
    int frameSizeAt;

    public FunctionCompiler(ModuleCompiler mc, FuncInst func, int index)
    {
        this.mc = mc;
        a = mc.Assembler;
        this.func = func;
        this.index = index;
        type = (FuncType)Validation.Types.Expand(func.Type);
        var code = func.Code!;
        localType = [.. type.Params, .. code.Locals.Select(l => Validation.Types.Close(l.Type, mc.Types))];
        numLocals = localType.Length;
        localClass = [.. localType.Select(Abi.ClassOf)];
        localReg = new int[numLocals];
        localWhere = new Where[numLocals];
        Array.Fill(localReg, -1);
        var uses = CountUses(code.Body.Instrs, out usesMemory0, out exnSlots);
        ChoosePinned(uses);
    }

    // ---- Frame ----

    int SlotOf(int position) => numLocals + exnSlots + position;

    static Mem SlotMem(int slot) => Mem.At(Rbp, -FixedArea - Abi.SlotSize * (slot + 1));

    Mem Home(int local) => SlotMem(local);

    /// <summary>The outgoing area's slot <paramref name="k"/> (stack-passed arguments and results of calls).</summary>
    static Mem Outgoing(int k) => Mem.At(Rsp, Abi.SlotSize * k);

    /// <summary>This function's own stack-passed parameter or result <paramref name="k"/>.</summary>
    static Mem Incoming(int k) => Mem.At(Rbp, 16 + Abi.SlotSize * k);

    int FrameSize => (FixedArea + Abi.SlotSize * (numLocals + exnSlots + maxSp + 1 + maxOutgoing) + 15) & ~15;

    // ---- Choosing pinned locals ----

    /// <summary>How often each local is read or written, a use inside a loop counting 8 times more per level.</summary>
    long[] CountUses(ImmutableArray<Instr> body, out bool memory0, out int legacyTries)
    {
        var uses = new long[numLocals];
        memory0 = false;
        legacyTries = 0;
        var work = mc.Nested;
        work.Clear();
        work.Push((body, 0));
        while (work.Count > 0)
        {
            var (seq, depth) = work.Pop();
            long weight = 1L << Math.Min(3 * depth, 30);
            foreach (var i in seq)
            {
                switch (i)
                {
                    case LocalGet g: uses[g.Local] += weight; continue;
                    case LocalSet s: uses[s.Local] += weight; continue;
                    case LocalTee t: uses[t.Local] += weight; continue;
                    case Block b: work.Push((b.Body, depth)); continue;
                    case Loop l: work.Push((l.Body, depth + 1)); continue;
                    case If f: work.Push((f.Then, depth)); work.Push((f.Else, depth)); continue;
                    case TryTable t: work.Push((t.Body, depth)); continue;
                    case LegacyTry t:
                        legacyTries++;
                        work.Push((t.Body, depth));
                        foreach (var c in t.Catches) work.Push((c.Body, depth));
                        if (t.CatchAll is { } all) work.Push((all, depth));
                        continue;
                    case LegacyTryDelegate t: work.Push((t.Body, depth)); continue;
                }
                // Once memory 0 is known to be used, the remaining instructions need no more tests than the above.
                if (!memory0 && i is Load { Mem: 0 } or Syntax.Store { Mem: 0 } or VLoad { Mem: 0 } or VStore { Mem: 0 }
                        or VLoadLane { Mem: 0 } or VStoreLane { Mem: 0 } or Atomic { Mem: 0 } or MemorySize { Mem: 0 }
                        or MemoryAtomicWait { Mem: 0 } or MemoryAtomicNotify { Mem: 0 })
                    memory0 = true;
            }
        }
        return uses;
    }

    /// <summary>Pins the most used integer and float locals to registers (references stay in memory, where the
    /// collector of handles finds them).</summary>
    void ChoosePinned(long[] uses)
    {
        var order = Enumerable.Range(0, numLocals).Where(k => uses[k] > 0 && localClass[k] != VClass.Ref)
            .OrderByDescending(k => uses[k]).ThenBy(k => k);
        int g = 0, x = 0;
        foreach (var k in order)
        {
            if (Abi.IsFloat(localClass[k]))
            {
                if (x == PinnableXmms.Length) continue;
                localReg[k] = (int)PinnableXmms[x++];
                pinnedXmms |= 1 << localReg[k];
            }
            else
            {
                if (g == PinnableGprs.Length) continue;
                localReg[k] = (int)PinnableGprs[g++];
                pinnedGprs |= 1 << localReg[k];
            }
        }
        pinned = [.. Enumerable.Range(0, numLocals).Where(k => localReg[k] >= 0)];
    }

    /// <summary>The locals pinned to registers, in index order: the only ones whose place changes as code runs.</summary>
    int[] pinned = [];

    /// <summary>Where each pinned local is now (in <see cref="pinned"/>'s order): what labels and branches remember.</summary>
    Where[] SaveLocals()
    {
        if (pinned.Length == 0) return [];
        var w = new Where[pinned.Length];
        for (int j = 0; j < w.Length; j++) w[j] = localWhere[pinned[j]];
        return w;
    }

    void RestoreLocals(Where[] w)
    {
        for (int j = 0; j < w.Length; j++) localWhere[pinned[j]] = w[j];
    }

    // ---- Registers ----

    bool IsFree(Reg r) => ((gprBusy | pinnedGprs) & (1 << (int)r)) == 0;
    bool IsFree(Xmm x) => ((xmmBusy | pinnedXmms) & (1 << (int)x)) == 0;

    /// <summary>A free GPR (not in <paramref name="avoid"/>), spilling the deepest register entry if none is free.</summary>
    Reg AllocGpr(int avoid = 0)
    {
        foreach (var r in Gprs)
            if (IsFree(r) && (avoid & (1 << (int)r)) == 0) { gprBusy |= 1 << (int)r; return r; }
        for (int p = 0; p < sp; p++)
            if (stack[p].Kind == Kind.Reg && !stack[p].IsFloat && (avoid & (1 << stack[p].Reg)) == 0)
            {
                var r = stack[p].Gpr;
                Spill(p);
                gprBusy |= 1 << (int)r;
                return r;
            }
        throw new InvalidOperationException("no register can be freed");
    }

    Xmm AllocXmm(int avoid = 0)
    {
        foreach (var x in Xmms)
            if (IsFree(x) && (avoid & (1 << (int)x)) == 0) { xmmBusy |= 1 << (int)x; return x; }
        for (int p = 0; p < sp; p++)
            if (stack[p].Kind == Kind.Reg && stack[p].IsFloat && (avoid & (1 << stack[p].Reg)) == 0)
            {
                var x = stack[p].Xmm;
                Spill(p);
                xmmBusy |= 1 << (int)x;
                return x;
            }
        throw new InvalidOperationException("no register can be freed");
    }

    /// <summary>Takes register <paramref name="r"/> for the current instruction, moving whatever operand held it elsewhere.</summary>
    void Claim(Reg r)
    {
        if ((pinnedGprs & (1 << (int)r)) != 0) throw new InvalidOperationException($"{r} is pinned");
        if ((gprBusy & (1 << (int)r)) != 0)
        {
            for (int p = 0; p < sp; p++)
                if (stack[p].Kind == Kind.Reg && !stack[p].IsFloat && stack[p].Gpr == r)
                {
                    var to = AllocGpr(1 << (int)r);
                    a.Mov(Width.W64, to, r);
                    stack[p].Reg = (byte)to;
                    break;
                }
        }
        gprBusy |= 1 << (int)r;
    }

    void Release(Reg r) => gprBusy &= ~(1 << (int)r);
    void Release(Xmm x) => xmmBusy &= ~(1 << (int)x);

    /// <summary>Gives back the register a consumed entry owned.</summary>
    void Release(in Entry e)
    {
        if (e.Kind != Kind.Reg) return;
        if (e.IsFloat) Release(e.Xmm); else Release(e.Gpr);
    }

    // ---- The operand stack ----

    void Push(Entry e)
    {
        if (sp == stack.Length) Array.Resize(ref stack, sp * 2);
        if (e.Kind == Kind.Stack && e.Slot != SlotOf(sp))
        {
            // A spilled value is pushed at another position: it moves to that position's slot.
            CopySlot(e.Slot, SlotOf(sp));
            e.Slot = SlotOf(sp);
        }
        stack[sp++] = e;
        if (sp > maxSp) maxSp = sp;
    }

    /// <summary>Pushes a value that is already in the slot of the position it takes.</summary>
    void PushSpilled(VClass c) => Push(Entry.Spilled(c, SlotOf(sp)));

    void PushGpr(VClass c, Reg r) => Push(Entry.InGpr(c, r));
    void PushXmm(VClass c, Xmm x) => Push(Entry.InXmm(c, x));

    /// <summary>Pops an entry; its register stays taken until <see cref="Release(in Entry)"/>.</summary>
    Entry Pop()
    {
        var e = stack[--sp];
        return e;
    }

    ref Entry Top => ref stack[sp - 1];

    /// <summary>Moves entry <paramref name="p"/> to its slot.</summary>
    void Spill(int p)
    {
        ref var e = ref stack[p];
        if (e.Kind == Kind.Stack) return;
        var slot = SlotOf(p);
        StoreEntry(SlotMem(slot), e);
        Release(e);
        e = Entry.Spilled(e.Class, slot);
    }

    /// <summary>Spills every entry below position <paramref name="limit"/> that a path could change (registers, locals, flags).</summary>
    void SpillBelow(int limit)
    {
        for (int p = 0; p < limit; p++)
            if (stack[p].Kind is Kind.Reg or Kind.Local or Kind.Flags) Spill(p);
    }

    /// <summary>Before anything that may clobber the flags: a pending comparison becomes a 0/1 value.</summary>
    void MaterializeFlags()
    {
        if (sp == 0 || Top.Kind != Kind.Flags) return;
        var cond = Top.Cond;
        var r = AllocGpr();
        a.Setcc(cond, r);
        a.Movzx(r, Width.W8, r);
        Top = Entry.InGpr(VClass.I32, r);
    }

    /// <summary>Before local <paramref name="k"/> changes: entries that stand for its current value get their own copy.</summary>
    void MaterializeLocal(int k)
    {
        for (int p = 0; p < sp; p++)
        {
            if (stack[p].Kind != Kind.Local || stack[p].Local != k) continue;
            var e = stack[p];
            if (Abi.IsFloat(e.Class))
            {
                var x = AllocXmm();
                LoadXmm(x, e);
                stack[p] = Entry.InXmm(e.Class, x);
            }
            else
            {
                var r = AllocGpr();
                LoadGpr(r, e);
                stack[p] = Entry.InGpr(e.Class, r);
            }
        }
    }

    // ---- Moving values ----

    static Width WidthOf(VClass c) => c == VClass.I32 ? Width.W32 : Width.W64;

    /// <summary>The pinned register local <paramref name="k"/> is in right now, if it is in one.</summary>
    bool LocalInReg(int k) => localReg[k] >= 0 && localWhere[k] != Where.Mem;

    /// <summary>Loads <paramref name="e"/> into GPR <paramref name="d"/>. Never touches the flags unless <paramref name="e"/> is a condition.</summary>
    void LoadGpr(Reg d, in Entry e)
    {
        switch (e.Kind)
        {
            case Kind.Const: a.MovImm(d, e.Class == VClass.I32 ? (uint)e.Bits : e.Bits); break;
            case Kind.Reg: if (e.Gpr != d) a.Mov(Width.W64, d, e.Gpr); break;
            case Kind.Stack: a.Mov(WidthOf(e.Class), d, SlotMem(e.Slot)); break;
            case Kind.Local:
                if (LocalInReg(e.Local)) { if ((Reg)localReg[e.Local] != d) a.Mov(Width.W64, d, (Reg)localReg[e.Local]); }
                else a.Mov(WidthOf(e.Class), d, Home(e.Local));
                break;
            case Kind.Flags:
                a.Setcc(e.Cond, d);
                a.Movzx(d, Width.W8, d);
                break;
        }
    }

    /// <summary>Loads <paramref name="e"/> into XMM register <paramref name="d"/>.</summary>
    void LoadXmm(Xmm d, in Entry e)
    {
        switch (e.Kind)
        {
            case Kind.Const:
                if (e.Bits == 0 && e.Hi == 0) a.Sse(SseOp.Pxor, d, d);
                else a.Sse(SseOp.Movdqu, d, Mem.Rip(mc.Constant(e.Bits, e.Hi)));
                break;
            case Kind.Reg: if (e.Xmm != d) a.Sse(SseOp.Movdqa, d, e.Xmm); break;
            case Kind.Stack: LoadXmmFrom(d, e.Class, SlotMem(e.Slot)); break;
            case Kind.Local:
                if (LocalInReg(e.Local)) { if ((Xmm)localReg[e.Local] != d) a.Sse(SseOp.Movdqa, d, (Xmm)localReg[e.Local]); }
                else LoadXmmFrom(d, e.Class, Home(e.Local));
                break;
            default: throw new InvalidOperationException("a condition is not a float");
        }
    }

    void LoadXmmFrom(Xmm d, VClass c, Mem m)
    {
        switch (c)
        {
            case VClass.F32: a.MovssLoad(d, m); break;
            case VClass.F64: a.MovsdLoad(d, m); break;
            default: a.Sse(SseOp.Movdqu, d, m); break;
        }
    }

    void StoreXmmTo(Mem m, VClass c, Xmm x)
    {
        switch (c)
        {
            case VClass.F32: a.MovssStore(m, x); break;
            case VClass.F64: a.MovsdStore(m, x); break;
            default: a.Movdqu(m, x); break;
        }
    }

    /// <summary>Stores <paramref name="e"/> to memory operand <paramref name="m"/> (a slot or an argument area).</summary>
    void StoreEntry(Mem m, in Entry e)
    {
        if (e.IsFloat)
        {
            switch (e.Kind)
            {
                case Kind.Reg: StoreXmmTo(m, e.Class, e.Xmm); return;
                case Kind.Const when e.Class != VClass.V128:
                    StoreConst(m, e.Class == VClass.F32 ? Width.W32 : Width.W64, e.Bits);
                    return;
                case Kind.Local when LocalInReg(e.Local): StoreXmmTo(m, e.Class, (Xmm)localReg[e.Local]); return;
            }
            LoadXmm(XScratch, e);
            StoreXmmTo(m, e.Class, XScratch);
            return;
        }
        switch (e.Kind)
        {
            case Kind.Reg: a.Mov(Width.W64, m, e.Gpr); return;
            case Kind.Const: StoreConst(m, Width.W64, e.Class == VClass.I32 ? (uint)e.Bits : e.Bits); return;
            case Kind.Local when LocalInReg(e.Local): a.Mov(Width.W64, m, (Reg)localReg[e.Local]); return;
        }
        LoadGpr(Scratch, e);
        a.Mov(Width.W64, m, Scratch);
    }

    void StoreConst(Mem m, Width w, ulong bits)
    {
        if (w == Width.W32 || (long)bits == (int)bits) a.Mov(w, m, (int)bits);
        else
        {
            a.MovImm(Scratch, bits);
            a.Mov(Width.W64, m, Scratch);
        }
    }

    /// <summary>Moves <paramref name="e"/> to <paramref name="dst"/> (one move of a parallel set).</summary>
    void MoveTo(Loc dst, in Entry e)
    {
        switch (dst.Kind)
        {
            case LocKind.Gpr: LoadGpr((Reg)dst.Index, e); break;
            case LocKind.Xmm: LoadXmm((Xmm)dst.Index, e); break;
            case LocKind.Slot: StoreEntry(SlotMem(dst.Index), e); break;
            case LocKind.Outgoing: StoreEntry(Outgoing(dst.Index), e); break;
            default: StoreEntry(Incoming(dst.Index), e); break;
        }
    }

    // ---- Operands of one instruction ----

    /// <summary>A GPR this instruction may overwrite, holding <paramref name="e"/>'s value (its own register if it has one).</summary>
    Reg OwnGpr(in Entry e, int avoid = 0)
    {
        if (e.Kind == Kind.Reg && (avoid & (1 << e.Reg)) == 0) return e.Gpr;
        var r = AllocGpr(avoid);
        LoadGpr(r, e);
        Release(e);
        return r;
    }

    Xmm OwnXmm(in Entry e, int avoid = 0)
    {
        if (e.Kind == Kind.Reg && (avoid & (1 << e.Reg)) == 0) return e.Xmm;
        var x = AllocXmm(avoid);
        LoadXmm(x, e);
        Release(e);
        return x;
    }

    /// <summary>A GPR holding <paramref name="e"/>'s value for reading only (an entry's or a pinned local's register, or a fresh one).</summary>
    Reg ReadGpr(in Entry e)
    {
        if (e.Kind == Kind.Reg) return e.Gpr;
        if (e.Kind == Kind.Local && LocalInReg(e.Local)) return (Reg)localReg[e.Local];
        var r = AllocGpr();
        LoadGpr(r, e);
        return r;
    }

    /// <summary>Gives back what <see cref="ReadGpr"/> took for <paramref name="e"/>.</summary>
    void ReleaseRead(in Entry e, Reg r)
    {
        if (e.Kind == Kind.Local && LocalInReg(e.Local) && (Reg)localReg[e.Local] == r) return;
        Release(r);
    }

    Xmm ReadXmm(in Entry e)
    {
        if (e.Kind == Kind.Reg) return e.Xmm;
        if (e.Kind == Kind.Local && LocalInReg(e.Local)) return (Xmm)localReg[e.Local];
        var x = AllocXmm();
        LoadXmm(x, e);
        return x;
    }

    void ReleaseRead(in Entry e, Xmm x)
    {
        if (e.Kind == Kind.Local && LocalInReg(e.Local) && (Xmm)localReg[e.Local] == x) return;
        Release(x);
    }

    /// <summary>Where an operand can be read without a register of its own: its memory, if it has no register.</summary>
    Mem? MemoryOf(in Entry e) => e.Kind switch
    {
        Kind.Stack => SlotMem(e.Slot),
        Kind.Local when !LocalInReg(e.Local) => Home(e.Local),
        _ => null,
    };

    static bool FitsImm32(in Entry e) => e.Kind == Kind.Const && (e.Class == VClass.I32 || (long)e.Bits == (int)e.Bits);

    /// <summary>dst = dst op src for an integer ALU operation, src taken as an immediate, memory or register operand.</summary>
    void AluWith(AluOp op, Width w, Reg dst, in Entry src)
    {
        if (FitsImm32(src)) a.Alu(op, w, dst, (int)src.Bits);
        else if (MemoryOf(src) is { } m) a.Alu(op, w, dst, m);
        else if (src.Kind == Kind.Const)
        {
            a.MovImm(Scratch, src.Bits);
            a.Alu(op, w, dst, Scratch);
        }
        else
        {
            var r = ReadGpr(src);
            a.Alu(op, w, dst, r);
            ReleaseRead(src, r);
        }
    }

    /// <summary>dst = dst op src for an SSE operation whose source may be memory (a slot, a home or the constant pool;
    /// a scalar operation reads only the low 4 or 8 bytes).</summary>
    void SseWith(SseOp op, Xmm dst, in Entry src)
    {
        if (src.Kind == Kind.Const) a.Sse(op, dst, Mem.Rip(mc.Constant(src.Bits, src.Hi)));
        else if (MemoryOf(src) is { } m) a.Sse(op, dst, m);
        else
        {
            var x = ReadXmm(src);
            a.Sse(op, dst, x);
            ReleaseRead(src, x);
        }
    }

    // ---- Traps ----

    readonly Dictionary<TrapCode, Label> traps = [];

    /// <summary>The label of this function's stub that raises <paramref name="code"/> (made at the end of the function).</summary>
    Label TrapLabel(TrapCode code)
    {
        if (!traps.TryGetValue(code, out var l)) traps[code] = l = a.NewLabel();
        return l;
    }

    /// <summary>A trap whose message carries a value (the element index of "uninitialized element"): in <paramref name="detail"/>.</summary>
    readonly List<(Label Label, TrapCode Code, Reg Detail)> detailedTraps = [];

    Label TrapLabel(TrapCode code, Reg detail)
    {
        var l = a.NewLabel();
        detailedTraps.Add((l, code, detail));
        return l;
    }

    void EmitTrapStubs()
    {
        foreach (var (code, label) in traps)
        {
            a.Bind(label);
            a.MovImm(Rsi, (ulong)code);
            a.MovImm(Rdx, ulong.MaxValue);
            JumpToRaiseTrap();
        }
        foreach (var (label, code, detail) in detailedTraps)
        {
            a.Bind(label);
            a.Mov(Width.W64, Rdx, detail);
            a.MovImm(Rsi, (ulong)code);
            JumpToRaiseTrap();
        }
    }

    void JumpToRaiseTrap()
    {
        a.Lea(Width.W64, Rcx, Mem.Rip(mc.FunctionLabel(index)));
        a.MovImm(Scratch, (ulong)Stubs.RaiseTrap);
        a.Jmp(Scratch);
    }

    /// <summary>After a helper call: a status other than 0 goes to the fault stub (unwind or land).</summary>
    void CheckStatus()
    {
        var ok = a.NewLabel();
        a.Test(Width.W32, Rax, Rax);
        a.Jcc(Cond.E, ok);
        a.MovImm(Scratch, (ulong)Stubs.Fault);
        a.Jmp(Scratch);
        a.Bind(ok);
    }

    static int PopCount(int mask) => BitOperations.PopCount((uint)mask);
}
