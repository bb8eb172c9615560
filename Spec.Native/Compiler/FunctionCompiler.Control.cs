using System.Collections.Immutable;
using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// The function's frame, its entry and exit, and structured control (§4.4.8: block, loop, if, br, br_if,
// br_table, return). Every label has a merge state; arriving at a label makes the machine agree with it.
// Entries below a block's parameters are spilled when the block is entered, so only the label's own values and
// the pinned locals differ between the paths that reach it.

internal enum CtrlKind : byte { Func, Block, Loop, If, TryTable, LegacyTry, LegacyCatch, LegacyDelegate }

/// <summary>One entry of the control stack: a structured instruction being compiled, and its label.</summary>
internal sealed class Control
{
    public CtrlKind Kind;
    public ImmutableArray<ValType> Params = [], Results = [];
    /// <summary>The operand stack height below the block's parameters.</summary>
    public int Height;
    /// <summary>Where branches to this label go: the block's end, or the loop's header.</summary>
    public required Label Label;
    /// <summary>What the label expects; null until the first arrival (forward labels).</summary>
    public MergeState? State;
    /// <summary>The instructions being compiled in this block, and the next one.</summary>
    public ImmutableArray<Instr> Body;
    public int Next;
    /// <summary>An if's else branch, not yet compiled: where it starts and the machine state it starts in.</summary>
    public Label? Else;
    public ImmutableArray<Instr> ElseBody;
    public Snapshot? ElseState;
    /// <summary>How many exception handler records this function has pushed where the label is.</summary>
    public int Handlers;
    /// <summary>Whatever the block kind needs besides (a try's handler metadata).</summary>
    public object? Extra;

    public int Arity => Kind == CtrlKind.Loop ? Params.Length : Results.Length;
}

/// <summary>The compile-time machine state at a point, to return to (an if's else branch starts where the if was).</summary>
internal sealed record Snapshot(Entry[] Stack, int Sp, int GprBusy, int XmmBusy, Where[] Locals, int Handlers);

internal sealed partial class FunctionCompiler
{
    readonly List<Control> ctrls = [];
    /// <summary>How many exception handler records this function has active at the current point.</summary>
    int handlers;

    /// <summary>Compiles the function at the assembler's position.</summary>
    public void Compile()
    {
        Prologue();
        ctrls.Add(new Control
        {
            Kind = CtrlKind.Func, Results = type.Results, Label = a.NewLabel(), Body = func.Code!.Body.Instrs,
        });
        ChargeFuel(ctrls[0].Body, 0);
        while (ctrls.Count > 0)
        {
            var c = ctrls[^1];
            if (c.Next < c.Body.Length)
            {
                var i = c.Body[c.Next++];
                if (!unreachable) Instruction(i);
            }
            else End(c);
        }
        mc.Marks?.Add(new JitMark(a.Position, null, "out-of-line paths and trap stubs"));
        EmitSlowPaths();
        EmitCalleeChecks();
        EmitTrapStubs();
        a.PatchInt32(frameSizeAt, FrameSize);
    }

    Snapshot Snap() => new(stack[..sp], sp, gprBusy, xmmBusy, SaveLocals(), handlers);

    void Restore(Snapshot s)
    {
        s.Stack.CopyTo(stack, 0);
        sp = s.Sp;
        gprBusy = s.GprBusy;
        xmmBusy = s.XmmBusy;
        RestoreLocals(s.Locals);
        handlers = s.Handlers;
    }

    // ---- Entry and exit ----

    Label? overflowPath, overflowBack;

    void Prologue()
    {
        a.Bind(mc.FunctionLabel(index));
        mc.Marks?.Add(new JitMark(a.Position, null, "prologue"));
        a.Push(Rbp);
        a.Mov(Width.W64, Rbp, Rsp);
        a.Alu(AluOp.Sub, Width.W64, Rsp, int.MaxValue); // the frame size, patched at the end
        frameSizeAt = a.Position - 4;
        // One check covers running out of stack and being interrupted (the runtime raises the limit).
        overflowPath = a.NewLabel();
        overflowBack = a.NewLabel();
        a.Alu(AluOp.Cmp, Width.W64, Rsp, Mem.At(R14, Layout.StackLimit));
        a.Jcc(Cond.B, overflowPath);
        a.Bind(overflowBack);
        a.Alu(AluOp.Sub, Width.W64, Mem.At(R14, Layout.DepthLeft), 1);
        a.Jcc(Cond.S, TrapLabel(TrapCode.CallStackExhausted));
        if (usesMemory0) SetMemory0();
        // Parameters arrive in argument registers and stack slots; they go to their pinned registers or homes: first
        // the registers' (homes, then one parallel move), then the stack's, whose pinned registers may be argument registers.
        var moves = new List<Move>();
        var places = Abi.Place(type.Params, false);
        for (int k = 0; k < places.Length; k++)
        {
            var p = places[k];
            if (p.OnStack) continue;
            if (localReg[k] >= 0)
            {
                moves.Add(new Move(p.IsFloat ? Loc.Xmm((Xmm)localReg[k]) : Loc.Gpr((Reg)localReg[k]),
                    p.IsFloat ? Entry.InXmm(p.Class, p.Xmm) : Entry.InGpr(p.Class, p.Gpr)));
            }
            else if (p.IsFloat) StoreXmmTo(Home(k), p.Class, p.Xmm);
            else a.Mov(Width.W64, Home(k), p.Gpr);
        }
        ParallelMove(moves);
        for (int k = 0; k < places.Length; k++)
        {
            var p = places[k];
            if (!p.OnStack) continue;
            if (localReg[k] >= 0)
            {
                if (p.IsFloat) LoadXmmFrom((Xmm)localReg[k], p.Class, Incoming(p.Slot));
                else a.Mov(WidthOf(p.Class), (Reg)localReg[k], Incoming(p.Slot));
            }
            else
            {
                a.Sse(SseOp.Movdqu, XScratch, Incoming(p.Slot));
                a.Movdqu(Home(k), XScratch);
            }
        }
        for (int k = 0; k < numLocals; k++) localWhere[k] = Where.Reg;
        // Declared locals start at zero (null for references); the slots of caught exceptions are roots, so null too.
        bool zeroed = false;
        for (int k = 0; k < exnSlots; k++)
        {
            if (!zeroed) { a.Sse(SseOp.Pxor, XScratch, XScratch); zeroed = true; }
            a.Movdqu(SlotMem(numLocals + k), XScratch);
        }
        for (int k = type.Params.Length; k < numLocals; k++)
        {
            if (localReg[k] >= 0)
            {
                if (Abi.IsFloat(localClass[k])) a.Sse(SseOp.Pxor, (Xmm)localReg[k], (Xmm)localReg[k]);
                else a.Alu(AluOp.Xor, Width.W32, (Reg)localReg[k], (Reg)localReg[k]);
                continue;
            }
            if (!zeroed) { a.Sse(SseOp.Pxor, XScratch, XScratch); zeroed = true; }
            a.Movdqu(Home(k), XScratch);
        }
    }

    void SetMemory0()
    {
        var mem = mc.Instance.Mems[0];
        a.MovImm(R13, (ulong)mem.Base);
        a.MovImm(R12, (ulong)mc.MemoryCell(0));
    }

    void EmitSlowPaths()
    {
        a.Bind(overflowPath!);
        a.MovImm(Scratch, (ulong)Stubs.InterruptCheck);
        a.Call(Scratch);
        a.Jmp(overflowBack!);
        foreach (var (label, back) in loopChecks)
        {
            a.Bind(label);
            a.MovImm(Scratch, (ulong)Stubs.InterruptCheck);
            a.Call(Scratch);
            a.Jmp(back);
        }
    }

    readonly List<(Label Path, Label Back)> loopChecks = [];

    /// <summary>return: the results to their places, the frame away. Leaves the compile-time state as it was.</summary>
    void EmitReturn()
    {
        PopHandlers(handlers);
        var places = mc.Placements(type).Results;
        var moves = this.moves;
        moves.Clear();
        for (int k = 0; k < places.Length; k++)
        {
            var p = places[k];
            var src = stack[sp - places.Length + k];
            moves.Add(new Move(p.OnStack ? Loc.Incoming(p.Slot) : p.IsFloat ? Loc.Xmm(p.Xmm) : Loc.Gpr(p.Gpr), src));
        }
        ParallelMove(moves);
        a.Alu(AluOp.Add, Width.W64, Mem.At(R14, Layout.DepthLeft), 1);
        a.Mov(Width.W64, Rsp, Rbp);
        a.Pop(Rbp);
        a.Ret();
    }

    // ---- Fuel ----

    /// <summary>When fuel is metered: charges the straight run of instructions that starts at <paramref name="from"/>
    /// (up to and including the first that ends it: a branch or a block; a loop is charged at its own header), before
    /// running them.</summary>
    void ChargeFuel(ImmutableArray<Instr> seq, int from)
    {
        if (mc.Metered) Charge(RunLength(seq, from));
    }

    static long RunLength(ImmutableArray<Instr> seq, int from)
    {
        long n = 0;
        for (int k = from; k < seq.Length; k++)
        {
            if (seq[k] is Syntax.Loop) break;
            n++;
            if (seq[k] is Syntax.Block or Syntax.If or Syntax.Br or Syntax.BrIf or Syntax.BrTable or Syntax.Return or Syntax.Unreachable or Syntax.TryTable or Syntax.LegacyTry
                or Syntax.LegacyTryDelegate or Syntax.Throw or Syntax.ThrowRef or Syntax.LegacyRethrow or Syntax.BrOnNull or Syntax.BrOnNonNull or Syntax.BrOnCast
                or Syntax.BrOnCastFail or Syntax.BrOnCastDescEq or Syntax.BrOnCastDescEqFail or Syntax.ReturnCall or Syntax.ReturnCallRef or Syntax.ReturnCallIndirect)
                break;
        }
        return n;
    }

    void Charge(long n)
    {
        if (n == 0) return;
        int units = (int)Math.Min(n, int.MaxValue);
        a.Alu(AluOp.Cmp, Width.W64, Mem.At(R14, Layout.Fuel), units);
        a.Jcc(Cond.L, TrapLabel(TrapCode.FuelExhausted));
        a.Alu(AluOp.Sub, Width.W64, Mem.At(R14, Layout.Fuel), units);
    }

    /// <summary>Charges what follows the current instruction in its block (after a branch's fallthrough or a label).</summary>
    void ChargeRest()
    {
        var c = ctrls[^1];
        ChargeFuel(c.Body, c.Next);
    }

    // ---- Blocks ----

    Control Enter(CtrlKind kind, BlockType bt, ImmutableArray<Instr> body)
    {
        var (ps, rs) = BlockSignature(bt);
        MaterializeFlags();
        SpillBelow(sp - ps.Length);
        var c = new Control
        {
            Kind = kind, Params = ps, Results = rs, Height = sp - ps.Length, Label = a.NewLabel(), Body = body,
            Handlers = handlers,
        };
        ctrls.Add(c);
        return c;
    }

    (ImmutableArray<ValType>, ImmutableArray<ValType>) BlockSignature(BlockType bt) => bt switch
    {
        ValBlockType { Result: null } => ([], []),
        ValBlockType v => ([], [v.Result]),
        IdxBlockType x => Validation.Types.Expand(func.Module.Types[x.TypeIdx]) is FuncType ft
            ? (ft.Params, ft.Results) : throw new NotCompiledException("block type is not a function type"),
        _ => ([], []),
    };

    void Block(Block b)
    {
        Enter(CtrlKind.Block, b.Type, b.Body);
        ChargeFuel(b.Body, 0);
    }

    /// <summary>Step_read/loop: the header's state is fixed now: parameters in registers, pinned locals in their registers.</summary>
    void Loop(Loop l)
    {
        var c = Enter(CtrlKind.Loop, l.Type, l.Body);
        var values = new int[c.Params.Length];
        int taken = 0;
        for (int i = 0; i < values.Length; i++) values[i] = ChooseRegister(stack[sp - values.Length + i], ref taken);
        var locals = new Where[pinned.Length];
        Array.Fill(locals, Where.Reg);
        c.State = new MergeState(values, locals);
        Conform(c, weaken: false);
        SetState(c);
        a.Bind(c.Label);
        // Every iteration can be interrupted.
        var check = a.NewLabel();
        var back = a.NewLabel();
        a.Alu(AluOp.Cmp, Width.W64, Rsp, Mem.At(R14, Layout.StackLimit));
        a.Jcc(Cond.B, check);
        a.Bind(back);
        loopChecks.Add((check, back));
        // The loop instruction itself runs again on every iteration (a branch to its label re-enters it).
        if (mc.Metered) ChargeLoopHeader(l.Body);
    }

    /// <summary>The loop instruction is charged at its header with its body's first run, so that every iteration pays
    /// for it, as the spec's reduction executes it again on every branch to its label.</summary>
    void ChargeLoopHeader(ImmutableArray<Instr> body) => Charge(1 + RunLength(body, 0));

    void If(If f)
    {
        var cond = Condition();
        var c = Enter(CtrlKind.If, f.Type, f.Then);
        c.Else = a.NewLabel();
        c.ElseBody = f.Else.IsDefault ? [] : f.Else;
        c.ElseState = Snap();
        a.Jcc(cond.Negate(), c.Else);
        ChargeFuel(f.Then, 0);
    }

    /// <summary>Pops an i32 condition and returns the x86 condition under which it is true (flags set now).</summary>
    Cond Condition()
    {
        var e = Pop();
        if (e.Kind == Kind.Flags) return e.Cond;
        MaterializeFlags();
        if (e.Kind == Kind.Const)
        {
            a.Alu(AluOp.Cmp, Width.W32, Scratch, Scratch); // ZF = 1: a constant condition picks its branch below
            return e.Bits == 0 ? Cond.NE : Cond.E;
        }
        if (MemoryOf(e) is { } m) a.Alu(AluOp.Cmp, Width.W32, m, 0);
        else
        {
            var r = ReadGpr(e);
            a.Test(Width.W32, r, r);
            ReleaseRead(e, r);
        }
        Release(e);
        return Cond.NE;
    }

    /// <summary>The end of a block's instructions: arrive at its label and continue after it.</summary>
    void End(Control c)
    {
        if (!unreachable || c.State is not null || c.Else is not null)
            mc.Marks?.Add(new JitMark(a.Position, null, c.Else is not null ? "else" : "end"));
        if (c.Kind == CtrlKind.Func)
        {
            if (!unreachable) EmitReturn();
            ctrls.RemoveAt(ctrls.Count - 1);
            return;
        }
        if (c.Else is { } els)
        {
            // The then branch is done; the else branch starts where the if was.
            if (!unreachable) Jump(c);
            Restore(c.ElseState!);
            c.Else = null;
            c.ElseState = null;
            c.Body = c.ElseBody;
            c.Next = 0;
            unreachable = false;
            a.Bind(els);
            ChargeFuel(c.Body, 0);
            return;
        }
        if (c.Kind is CtrlKind.LegacyTry or CtrlKind.LegacyCatch && LegacyNextPhase(c)) return;
        if (c.Kind == CtrlKind.TryTable) EndTry(c);
        ctrls.RemoveAt(ctrls.Count - 1);
        if (c.Kind == CtrlKind.Loop) return; // the loop's results stay where its body left them
        if (c.State is null && !unreachable) c.State = Capture(c);
        if (c.State is null)
        {
            unreachable = true;
            sp = c.Height;
            handlers = c.Handlers;
            return;
        }
        if (!unreachable)
        {
            // The body's end leaves whatever try it was (Step_pure/handler-vals), then arrives at the label.
            PopHandlers(handlers - c.Handlers);
            Conform(c, weaken: true);
        }
        SetState(c);
        a.Bind(c.Label);
        unreachable = false;
        ChargeRest();
    }

    /// <summary>The state after a label: its values where it expects them, everything else free.</summary>
    void SetState(Control c)
    {
        var st = c.State!;
        sp = c.Height;
        gprBusy = xmmBusy = 0;
        var types = c.Kind == CtrlKind.Loop ? c.Params : c.Results;
        for (int i = 0; i < st.Values.Length; i++)
        {
            var cls = Abi.ClassOf(types[i]);
            if (st.Values[i] < 0) PushSpilled(cls);
            else if (Abi.IsFloat(cls)) { xmmBusy |= 1 << st.Values[i]; PushXmm(cls, (Xmm)st.Values[i]); }
            else { gprBusy |= 1 << st.Values[i]; PushGpr(cls, (Reg)st.Values[i]); }
        }
        RestoreLocals(st.Locals);
        handlers = c.Handlers;
    }

    // ---- Arriving at labels ----

    /// <summary>A register for a label value first seen as <paramref name="e"/>: its own, else a free one, else its slot (-1).</summary>
    int ChooseRegister(in Entry e, ref int taken)
    {
        if (e.Kind == Kind.Reg && (taken & (1 << e.Reg)) == 0 && (e.IsFloat ? (pinnedXmms & (1 << e.Reg)) == 0 : (pinnedGprs & (1 << e.Reg)) == 0))
        {
            taken |= 1 << e.Reg;
            return e.Reg;
        }
        if (e.IsFloat)
        {
            foreach (var x in Xmms)
                if ((taken & (1 << (int)x)) == 0 && (pinnedXmms & (1 << (int)x)) == 0) { taken |= 1 << (int)x; return (int)x; }
        }
        else
        {
            foreach (var r in Gprs)
                if ((taken & (1 << (int)r)) == 0 && (pinnedGprs & (1 << (int)r)) == 0) { taken |= 1 << (int)r; return (int)r; }
        }
        return -1;
    }

    /// <summary>The merge state a forward label takes from its first arrival.</summary>
    MergeState Capture(Control c)
    {
        int n = c.Arity;
        var values = n == 0 ? [] : new int[n];
        int takenGpr = 0, takenXmm = 0;
        for (int i = 0; i < n; i++)
        {
            var e = stack[sp - n + i];
            values[i] = e.IsFloat ? ChooseRegister(e, ref takenXmm) : ChooseRegister(e, ref takenGpr);
        }
        return new MergeState(values, SaveLocals());
    }

    /// <summary>Makes the machine agree with <paramref name="c"/>'s label (moves only: the compile-time state stays).
    /// A forward label's expectations on locals weaken instead, where the current path keeps one copy only.</summary>
    void Conform(Control c, bool weaken)
    {
        var (moves, stores, loads) = Plan(c, weaken);
        Emit(moves, stores, loads);
    }

    // What a plan needs, kept between plans: compiling must not allocate at every branch.
    readonly List<Move> moves = [];
    readonly List<int> planStores = [], planLoads = [];

    (List<Move> Moves, List<int> Stores, List<int> Loads) Plan(Control c, bool weaken)
    {
        var st = c.State!;
        int n = c.Arity;
        var moves = this.moves;
        moves.Clear();
        for (int i = 0; i < n; i++)
        {
            var src = stack[sp - n + i];
            int r = st.Values[i];
            var dst = r < 0 ? Loc.Slot(SlotOf(c.Height + i)) : src.IsFloat ? Loc.Xmm((Xmm)r) : Loc.Gpr((Reg)r);
            var m = new Move(dst, src);
            if (!IsAlready(m)) moves.Add(m);
        }
        var stores = planStores;
        var loads = planLoads;
        stores.Clear();
        loads.Clear();
        for (int j = 0; j < pinned.Length; j++)
        {
            int k = pinned[j];
            var want = st.Locals[j];
            var have = localWhere[k];
            if (want == have || have == Where.Both) continue;
            if (want == Where.Both)
            {
                if (weaken) { st.Locals[j] = have; continue; }
                if (have == Where.Reg) stores.Add(k); else loads.Add(k);
            }
            else if (want == Where.Reg) loads.Add(k);
            else stores.Add(k);
        }
        return (moves, stores, loads);
    }

    void Emit(List<Move> moves, List<int> stores, List<int> loads)
    {
        ParallelMove(moves);
        foreach (var k in stores) StoreLocalRegister(k);
        foreach (var k in loads) LoadLocalRegister(k);
    }

    void StoreLocalRegister(int k)
    {
        if (Abi.IsFloat(localClass[k])) StoreXmmTo(Home(k), localClass[k], (Xmm)localReg[k]);
        else a.Mov(Width.W64, Home(k), (Reg)localReg[k]);
    }

    void LoadLocalRegister(int k)
    {
        if (Abi.IsFloat(localClass[k])) LoadXmmFrom((Xmm)localReg[k], localClass[k], Home(k));
        else a.Mov(WidthOf(localClass[k]), (Reg)localReg[k], Home(k));
    }

    /// <summary>Branches unconditionally to <paramref name="c"/>'s label (br, or the fallthrough of an if's then branch).</summary>
    void Jump(Control c)
    {
        MaterializeFlags();
        PopHandlers(handlers - c.Handlers);
        if (c.Kind == CtrlKind.Func) { EmitReturn(); return; }
        if (c.State is null) c.State = Capture(c);
        Conform(c, weaken: c.Kind != CtrlKind.Loop);
        a.Jmp(c.Label);
    }

    /// <summary>Branches to <paramref name="c"/>'s label when <paramref name="cond"/> holds; falls through otherwise.</summary>
    void JumpIf(Cond cond, Control c)
    {
        if (c.Kind != CtrlKind.Func && handlers == c.Handlers)
        {
            if (c.State is null) c.State = Capture(c);
            var (moves, stores, loads) = Plan(c, weaken: c.Kind != CtrlKind.Loop);
            if (moves.Count == 0 && stores.Count == 0 && loads.Count == 0)
            {
                a.Jcc(cond, c.Label);
                return;
            }
        }
        var skip = a.NewLabel();
        a.Jcc(cond.Negate(), skip);
        Jump(c);
        a.Bind(skip);
    }

    Control LabelAt(uint depth) => ctrls[ctrls.Count - 1 - (int)depth];

    void Br(Br b)
    {
        Jump(LabelAt(b.Label));
        unreachable = true;
    }

    void BrIf(BrIf b)
    {
        var cond = Condition();
        JumpIf(cond, LabelAt(b.Label));
        ChargeRest();
    }

    void BrTable(BrTable t)
    {
        var e = Pop();
        MaterializeFlags();
        var idx = OwnGpr(e);
        var targets = t.Labels.Append(t.Default).Distinct().ToList();
        var tramp = targets.ToDictionary(l => l, _ => a.NewLabel());
        a.Alu(AluOp.Cmp, Width.W32, idx, t.Labels.Length);
        a.Jcc(Cond.AE, tramp[t.Default]);
        var table = a.NewLabel();
        a.Lea(Width.W64, Scratch, Mem.Rip(table));
        a.Movsx(Width.W64, idx, Width.W32, Mem.At(Scratch, idx, 4));
        a.Alu(AluOp.Add, Width.W64, idx, Scratch);
        a.Jmp(idx);
        Release(idx);
        a.Align(4);
        a.Bind(table);
        int at = a.Position;
        foreach (var _ in t.Labels) a.Emit32(0);
        foreach (var l in targets)
        {
            a.Bind(tramp[l]);
            for (int k = 0; k < t.Labels.Length; k++)
                if (t.Labels[k] == l) a.PatchInt32(at + 4 * k, tramp[l].Offset - at);
            Jump(LabelAt(l));
        }
        unreachable = true;
    }

    void Return()
    {
        MaterializeFlags();
        EmitReturn();
        unreachable = true;
    }
}
