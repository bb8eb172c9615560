using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// §4.4.8 Function calls (call, call_indirect, call_ref and their return_ forms) and calls of runtime helpers.
// Every register is the caller's to save: before a call the operand stack is spilled and the pinned locals are
// written home; the arguments then move to their places at once (Moves.cs). A function of this instance is
// called directly; any other through its cell (rax = the cell), whose entry is compiled code or a host stub.
// call_indirect checks the element's canonical type id inline and leaves subtypes to the runtime; a tail call
// removes the frame first and jumps, so it runs in constant native stack.

internal sealed partial class FunctionCompiler
{
    /// <summary>Before any call: entries below <paramref name="keep"/> (the top ones are the arguments) to their slots,
    /// pinned locals written home (their registers do not survive the call).</summary>
    void BeforeCall(int keep)
    {
        MaterializeFlags();
        // Registers do not survive; a local's current value does (its home is written below).
        for (int p = 0; p < sp - keep; p++)
            if (stack[p].Kind is Kind.Reg or Kind.Flags) Spill(p);
        foreach (var k in pinned)
            if (localWhere[k] == Where.Reg)
            {
                StoreLocalRegister(k);
                localWhere[k] = Where.Both;
            }
    }

    /// <summary>After a call: only the homes of pinned locals are left, and memory 0's registers may belong to another instance.</summary>
    void AfterCall(bool crossInstance)
    {
        foreach (var k in pinned) localWhere[k] = Where.Mem;
        if (crossInstance && usesMemory0) SetMemory0();
    }

    /// <summary>Moves the top |params| entries to their argument places and pops them; sources in rax are moved
    /// before anything else uses rax.</summary>
    void PassArguments(FuncType ft, bool tail)
    {
        var places = mc.Placements(ft).Params;
        int n = places.Length;
        var moves = this.moves;
        moves.Clear();
        for (int k = 0; k < n; k++)
        {
            var p = places[k];
            var dst = p.OnStack ? (tail ? Loc.Incoming(p.Slot) : Loc.Outgoing(p.Slot)) : p.IsFloat ? Loc.Xmm(p.Xmm) : Loc.Gpr(p.Gpr);
            moves.Add(new Move(dst, stack[sp - n + k]));
        }
        maxOutgoing = Math.Max(maxOutgoing, Math.Max(Abi.StackSlots(ft), Abi.TailCallSlots));
        ParallelMove(moves);
        for (int k = 0; k < n; k++) Release(Pop());
    }

    /// <summary>The results of a call, as the callee left them, become operand entries.</summary>
    void TakeResults(FuncType ft)
    {
        var places = mc.Placements(ft).Results;
        gprBusy = xmmBusy = 0; // everything below is spilled: only the results hold registers
        foreach (var p in places)
        {
            if (p.OnStack)
            {
                // The outgoing area is the next call's: copy out now.
                var slot = SlotOf(sp);
                a.Sse(SseOp.Movdqu, XScratch, Outgoing(p.Slot));
                a.Movdqu(SlotMem(slot), XScratch);
                Push(Entry.Spilled(p.Class, slot));
            }
            else if (p.IsFloat) { xmmBusy |= 1 << (int)p.Xmm; PushXmm(p.Class, p.Xmm); }
            else { gprBusy |= 1 << (int)p.Gpr; PushGpr(p.Class, p.Gpr); }
        }
    }

    /// <summary>A tail call's frame removal: the budget given back (the callee takes it again), the frame popped.</summary>
    void LeaveFrameForTailCall()
    {
        PopHandlers(handlers);
        a.Alu(AluOp.Add, Width.W64, Mem.At(R14, Layout.DepthLeft), 1);
        a.Mov(Width.W64, Rsp, Rbp);
        a.Pop(Rbp);
    }

    /// <summary>Whether a tail call to <paramref name="ft"/> can reuse this frame's incoming stack slots (at least <see cref="Abi.TailCallSlots"/>).</summary>
    bool TailFits(FuncType ft) => Abi.StackSlots(ft) <= Math.Max(Abi.StackSlots(type), Abi.TailCallSlots);

    /// <summary>Step_read/call (and return_call): a direct call of function <paramref name="x"/>.</summary>
    unsafe void Call(uint x, bool tail)
    {
        var f = mc.Instance.Funcs[(int)x];
        var ft = f.FuncType;
        if (tail && !TailFits(ft)) throw new NotCompiledException("return_call to a function with more stack-passed values than this one");
        BeforeCall(ft.Params.Length);
        PassArguments(ft, tail);
        bool local = x >= mc.ImportCount;
        if (!local) a.MovImm(Rax, (ulong)f.Slot.Cell);
        if (tail)
        {
            LeaveFrameForTailCall();
            if (local) a.Jmp(mc.FunctionLabel((int)x - mc.ImportCount)); else a.Jmp(Mem.At(Rax, Layout.CellEntry));
            unreachable = true;
            return;
        }
        if (local) a.Call(mc.FunctionLabel((int)x - mc.ImportCount)); else a.Call(Mem.At(Rax, Layout.CellEntry));
        RecordCallSite();
        AfterCall(crossInstance: !local);
        TakeResults(ft);
    }

    readonly List<(Label Path, Label Back, int TypeId)> calleeChecks = [];

    /// <summary>Step_pure/call_indirect: TABLE.GET x, REF.CAST (REF NULL yy), CALL_REF yy, inline.</summary>
    unsafe void CallIndirect(uint tableIdx, uint typeIdx, bool tail)
    {
        var ft = (FuncType)Validation.Types.Expand(func.Module.Types[typeIdx]);
        if (tail && !TailFits(ft)) throw new NotCompiledException("return_call_indirect to a function with more stack-passed values than this one");
        var table = mc.Instance.Tables[(int)tableIdx];
        var index = Pop();
        BeforeCall(ft.Params.Length);
        // The index in r10 (no argument register), the cell in rax once the arguments are placed.
        if (!(index.Kind == Kind.Reg && index.Gpr == R10))
        {
            Claim(R10);
            LoadGpr(R10, index);
            Release(index);
        }
        PassArguments(ft, tail);
        a.MovImm(Rax, (ulong)table.Cell);
        a.Alu(AluOp.Cmp, Width.W64, R10, Mem.At(Rax, Layout.CellLength));
        a.Jcc(Cond.AE, TrapLabel(TrapCode.UndefinedElement));
        a.Mov(Width.W64, Rax, Mem.At(Rax, Layout.CellBase));
        a.Mov(Width.W64, Rax, Mem.At(Rax, R10, 8));
        a.Test(Width.W64, Rax, Rax);
        a.Jcc(Cond.E, TrapLabel(TrapCode.UninitializedElement, R10));
        int expected = mc.Instance.TypeIds[typeIdx];
        var slow = a.NewLabel();
        var back = a.NewLabel();
        a.Alu(AluOp.Cmp, Width.W32, Mem.At(Rax, Layout.CellTypeId), expected);
        a.Jcc(Cond.NE, slow);
        a.Alu(AluOp.Cmp, Width.W64, Mem.At(Rax, Layout.CellEntry), 0);
        a.Jcc(Cond.E, slow);
        a.Bind(back);
        calleeChecks.Add((slow, back, expected));
        Release(R10);
        if (tail)
        {
            LeaveFrameForTailCall();
            a.Jmp(Mem.At(Rax, Layout.CellEntry));
            unreachable = true;
            return;
        }
        a.Call(Mem.At(Rax, Layout.CellEntry));
        RecordCallSite();
        AfterCall(crossInstance: true);
        TakeResults(ft);
    }

    /// <summary>Step_read/call_ref-func, call_ref-null: the reference's cell from the runtime, then the call.</summary>
    void CallRef(uint typeIdx, bool tail)
    {
        var ft = (FuncType)Validation.Types.Expand(func.Module.Types[typeIdx]);
        if (tail && !TailFits(ft)) throw new NotCompiledException("return_call_ref to a function with more stack-passed values than this one");
        var r = Pop();
        BeforeCall(0); // the arguments too: the helper below clobbers every register
        var handle = ReadGpr(r);
        a.Mov(Width.W64, Rsi, handle);
        ReleaseRead(r, handle);
        Release(r);
        a.Mov(Width.W64, Rdi, R14);
        CallNative(HelperAddresses.FuncCellOf);
        a.Test(Width.W64, Rax, Rax);
        a.Jcc(Cond.E, TrapLabel(TrapCode.NullFunctionReference));
        gprBusy |= 1 << (int)Rax; // keep the cell while the arguments move
        PassArguments(ft, tail);
        Release(Rax);
        if (tail)
        {
            LeaveFrameForTailCall();
            a.Jmp(Mem.At(Rax, Layout.CellEntry));
            unreachable = true;
            return;
        }
        a.Call(Mem.At(Rax, Layout.CellEntry));
        RecordCallSite();
        AfterCall(crossInstance: true);
        TakeResults(ft);
    }

    void EmitCalleeChecks()
    {
        foreach (var (path, back, typeId) in calleeChecks)
        {
            a.Bind(path);
            a.MovImm(R10, (ulong)(uint)typeId);
            a.MovImm(Scratch, (ulong)Stubs.CheckCallee);
            a.Call(Scratch);
            a.Jmp(back);
        }
    }

    // ---- Where the references are: the roots of the handle collector (see JitStore) ----

    /// <summary>
    /// The frame slots (as offsets from rbp) that hold references at a call: the homes of reference locals (never
    /// pinned), the caught exceptions legacy catch clauses keep, and the spilled reference entries of the operand
    /// stack (everything is spilled at a call).
    /// </summary>
    int[] Roots()
    {
        List<int>? roots = null;
        for (int k = 0; k < numLocals; k++)
            if (localClass[k] == VClass.Ref) (roots ??= []).Add(SlotMem(k).Displacement);
        for (int k = 0; k < exnSlots; k++) (roots ??= []).Add(SlotMem(numLocals + k).Displacement);
        for (int p = 0; p < sp; p++)
            if (stack[p].Class == VClass.Ref && stack[p].Kind == Kind.Stack) (roots ??= []).Add(SlotMem(stack[p].Slot).Displacement);
        return roots is null ? [] : [.. roots];
    }

    /// <summary>After a call of compiled code: where this frame's references are while the callee runs.</summary>
    void RecordCallSite()
    {
        var roots = Roots();
        if (roots.Length > 0) mc.CallSite(a.Position, roots);
    }

    /// <summary>Calls a System V function at <paramref name="address"/> (arguments already in place).</summary>
    void CallNative(nint address)
    {
        a.MovImm(Scratch, (ulong)address);
        a.Call(Scratch);
    }

    /// <summary>
    /// An instruction done by the runtime (<see cref="Helpers.Instruction"/>): its <paramref name="operands"/> are
    /// spilled to their slots, the helper reads them there and writes its results in their place. Everything is in
    /// memory afterwards.
    /// </summary>
    void RuntimeInstruction(Instr i, int operands, params VClass[] results)
    {
        BeforeCall(0);
        int at = sp - operands;
        var classes = new VClass[operands];
        for (int p = at; p < sp; p++)
        {
            classes[p - at] = stack[p].Class;
            Spill(p); // constants too: the helper reads every operand from its slot
        }
        for (int k = 0; k < operands; k++) Pop();
        maxSp = Math.Max(maxSp, at + results.Length);
        a.Mov(Width.W64, Rdi, R14);
        a.MovImm(Rsi, (ulong)mc.ModuleHandle);
        a.MovImm(Rdx, (ulong)(uint)mc.Site(new RuntimeSite(i, classes, Roots())));
        a.Lea(Width.W64, Rcx, SlotMem(SlotOf(at)));
        a.Mov(Width.W64, R8, Rbp);
        CallNative(HelperAddresses.Instruction);
        CheckStatus();
        AfterCall(crossInstance: false);
        gprBusy = xmmBusy = 0;
        foreach (var c in results) PushSpilled(c);
    }
}
