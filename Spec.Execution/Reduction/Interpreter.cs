using System.Runtime.CompilerServices;
using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// §4.4 Execution (spectec 4.3-execution.instructions): the small-step reduction relation.
//
// The configuration z; instr* is kept as machine state whose top is where every rule applies:
//   - the instruction sequence is the current function's flat code (see Compiled) and a program counter;
//     an administrative instruction travelling outwards (BR l, RETURN, THROW_REF exn) sits in `pending`;
//   - the values in front of it are the operand stack `stack[..sp]`, each frame's locals at its base `fp`;
//   - the nested LABEL_ / HANDLER_ contexts are `labels[..lsp]`, the FRAME_ contexts `frames[..fsp]`.
// Step() applies exactly one rule to the innermost context and returns its SpecTec name; the context
// rules (Step/ctxt-label, Step/ctxt-frame, ...) are implicit in always working on the top of the stacks.
// It never recurses on the host stack for Wasm calls or blocks. Performance-critical: imperative on purpose.
// An instruction that reduces to other instructions (if to block, call to call_ref, call_indirect to
// table.get; ref.cast; call_ref) leaves them as the `pending` redex, so each rule is a step of its own.
// Observed (a trace, rule coverage, Step() one rule at a time), every step is one rule whose right-hand side is
// the next configuration (see Spliced). Unobserved, a rule and the rule its right-hand side needs next (local.tee's
// local.set, array.new's array.new_fixed) are applied together. A bulk operation's recursion (memory.fill-succ,
// table.copy-le, ...) is applied in one step unless the store asks for exact steps, so that copying a page is not
// 65,536 steps. Constants are values: they take no step.

/// <summary>A running configuration, stepped rule by rule; and the entry point to invoke functions.</summary>
public sealed unsafe partial class Interpreter
{
    internal enum Ctx : byte { Label, Handler, LegacyHandler, Delegate }

    /// <summary>LABEL_n{cont} or HANDLER_n{catch*}: its arity, continuation, the operand stack height where it began,
    /// and where its code ends (the End or HandlerEnd that closes it; -1 for the legacy contexts).</summary>
    internal struct Context
    {
        public Ctx Kind;
        public int Arity;
        public int Cont;
        public int Height;
        public int End;
        public object? Extra; // handler: its catches; legacy label: the caught exception
    }

    /// <summary>FRAME_n{frame}: the function's code, where its locals start, and where the caller resumes.</summary>
    internal struct Frame
    {
        public Body Body;
        public int Fp;
        public int LabelBase;
        public int ReturnPc;
        public ModuleInstance Module;
        public FuncInst? Func; // for backtraces; null for a constant expression
    }

    /// <summary>
    /// The administrative redex in front of the code, if any: BR, RETURN, THROW_REF, TRAP travel outwards; BLOCK (from if),
    /// CALL_REF and RETURN_CALL_REF (their function reference on the operand stack), and the TABLE.GET and REF.CAST
    /// that call_indirect reduces to wait at the instruction that produced them (<see cref="pc"/>).
    /// </summary>
    enum Admin : byte { None, Br, Return, ThrowRef, Trap, Block, CallRef, ReturnCallRef, TableGet, RefCast }

    readonly Store store;
    readonly StoreCells* cells;
    Value[] stack = new Value[256];
    int sp;
    Context[] labels = new Context[64];
    int lsp;
    Frame[] frames = new Frame[16];
    int fsp;

    // The top frame, cached.
    Inst[] code = [];
    int pc;
    int fp;
    int labelBase;
    ModuleInstance module = new();

    Admin pending;
    int pendingLabel;      // BR: the label; BLOCK: where the chosen branch's instructions start
    bool pendingTail;      // TABLE.GET, REF.CAST: they end in RETURN_CALL_REF rather than CALL_REF
    bool pendingIndirect;  // CALL_REF, RETURN_CALL_REF: from call_indirect, whose null entry is an uninitialized element
    ulong pendingElem;     // ... and which table element it was, for the trap's message
    ExnInst? pendingExn;
    int travelFrom;        // BR, RETURN: the instruction they came from
    int travelRest;        // BR, RETURN: where the instructions after them begin in the code (-1: none)
    int throwAt;           // THROW_REF, TRAP: where in the code it stands, for the instructions after it (-1: none left)
    TrapException? pendingTrap; // TRAP: the trap it reports once it has left every frame
    int results;
    /// <summary>How many frames this configuration may hold: the store's call-depth budget when it began.</summary>
    readonly long depthBudget;

    /// <summary>A configuration over <paramref name="store"/>; call <see cref="Begin"/> to start an invocation.</summary>
    public Interpreter(Store store)
    {
        this.store = store;
        cells = store.Cells;
        depthBudget = cells->DepthLeft;
        faithful = store.Trace is not null;
        exact = store.Policy.ExactSteps;
    }

    /// <summary>Whether the configuration has reduced to values.</summary>
    public bool Done => fsp == 0 && pending == Admin.None || ConfigurationDone();

    /// <summary>How many steps have been taken.</summary>
    public long Steps => steps;

    /// <summary>The instructions the next <see cref="Step"/> executes: the constants it pushes on the way, then the
    /// instruction it reduces (none while an administrative instruction is travelling). For opcode coverage.</summary>
    public IEnumerable<Instr> Next
    {
        get
        {
            if (pending != Admin.None || fsp == 0) yield break;
            for (int k = pc; k < code.Length; k++)
            {
                if (code[k].I is { } i) yield return i;
                if (code[k].Op is not (Op.Const or Op.VConst)) yield break;
            }
        }
    }
    long steps;

    /// <summary>The result values once <see cref="Done"/>.</summary>
    public IReadOnlyList<Value> Results => stack.AsSpan(0, results).ToArray();

    // ---- Entry points (appendix A.1 invoke_func) ----

    /// <summary>The interpreter as an engine: every invocation is a configuration stepped to its end.</summary>
    public static IEngine Engine { get; } = new InterpreterEngine();

    sealed class InterpreterEngine : IEngine
    {
        public string Name => "interp";

        // Bodies are flattened when first called.
        public void Instantiated(Store store, ModuleInstance instance) { }

        public IReadOnlyList<Value> Invoke(Store store, FuncInst func, IReadOnlyList<Value> args)
        {
            // A host function may invoke again: that nests on the host stack, which must not overflow.
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new ExhaustionException(TrapCode.CallStackExhausted);
            var m = new Interpreter(store);
            try
            {
                m.Begin(func, args);
                m.Run();
                return m.Results;
            }
            finally { m.cells->DepthLeft = m.depthBudget; }
        }
    }

    /// <summary>
    /// Sets up $invoke's configuration: the arguments, then the call. Throws ArgumentException if the
    /// arguments do not match the function's parameter types (Val_ok).
    /// </summary>
    public void Begin(FuncInst func, IReadOnlyList<Value> args)
    {
        var ft = func.FuncType;
        if (args.Count != ft.Params.Length) throw new ArgumentException($"expected {ft.Params.Length} arguments, got {args.Count}");
        for (int k = 0; k < args.Count; k++)
            if (!Types.ValMatches(args[k], ft.Params[k])) throw new ArgumentException($"argument {k} is not of type {ft.Params[k]}");
        sp = lsp = fsp = 0;
        splicedFrom = null;
        trapHasRest = false;
        foreach (var a in args) Push(a);
        results = ft.Results.Length;
        // val^n (REF.FUNC_ADDR a) (CALL_REF yy): the first step is Step_read/call_ref-func
        Push(Value.Reference(func));
        pending = Admin.CallRef;
        pendingIndirect = false;
    }

    /// <summary>The function's flat body, made when it is first called.</summary>
    static Body BodyOf(FuncInst f) => (Body)(f.Slot.Interpreted ??= Compile(f));

    /// <summary>Steps until the configuration is values. Traps (once TRAP has left every frame) and exhaustion throw.</summary>
    public void Run()
    {
        while (fsp != 0 || pending != Admin.None)
        {
            try
            {
                if (store.Trace is { } trace)
                    while (fsp != 0 || pending != Admin.None) TracedStep(trace);
                else if (faithful)
                    while (fsp != 0 || pending != Admin.None) { EnterSpliced(); StepTop(); }
                else
                    while (fsp != 0 || pending != Admin.None) StepTop();
            }
            catch (TrapException e) when (pending != Admin.Trap)
            {
                var rule = BeginTrap(e);
                store.Trace?.Invoke(rule);
            }
        }
    }

    /// <summary>
    /// A rule (or a host function) produced TRAP in place of the instruction at pc: it becomes the pending redex, which
    /// leaves the contexts one rule at a time (Step_pure/trap-instrs, trap-label, trap-handler, trap-frame). The
    /// backtrace is taken now, while the frames are there. Returns the rule that produced it.
    /// </summary>
    string BeginTrap(TrapException e)
    {
        if (e.Frames.Count == 0) e.Frames = Backtrace();
        pending = Admin.Trap;
        pendingTrap = e;
        if (splicedFrom is not null)
        {
            // the rest of the spliced right-hand side follows TRAP too
            trapHasRest |= SplicedAfterCurrent;
            Unsplice();
            pc--;
        }
        throwAt = fsp > 0 ? pc : -1;
        var rule = trapRule ?? "Host/trap";
        trapRule = null;
        return rule;
    }

    /// <summary>The functions of the frames on the stack, innermost first.</summary>
    internal IReadOnlyList<FuncInst> Backtrace()
    {
        var fs = new List<FuncInst>(fsp);
        for (int k = fsp - 1; k >= 0; k--)
            if (frames[k].Func is { } f) fs.Add(f);
        return fs;
    }

    /// <summary>Eval_expr: z; instr* ~>* z'; val, the expression reduced in <paramref name="m"/>'s frame.</summary>
    internal static Value Eval(Store store, ModuleInstance m, Expr e)
    {
        var z = new Interpreter(store) { results = 1 };
        z.EnterConfiguration(CompileConfiguration(m, e.Instrs, 1), m);
        z.RunConfiguration();
        return z.stack[0];
    }

    /// <summary>
    /// Sets up the configuration $instantiate ends in: z; {MODULE m}; instr* (the segments' instructions and the start
    /// function's CALL x), to be stepped to its end.
    /// </summary>
    public void BeginInstantiation(ModuleInstance m, IEnumerable<Instr> instrs)
    {
        sp = lsp = fsp = 0;
        splicedFrom = null;
        trapHasRest = false;
        results = 0;
        pending = Admin.None;
        EnterConfiguration(CompileConfiguration(m, instrs, 0), m);
    }

    /// <summary>The configuration's own frame, {MODULE m}: no locals, no label, its instructions at the top level.</summary>
    void EnterConfiguration(Body body, ModuleInstance m)
    {
        frames[fsp++] = new Frame { Body = body, Fp = sp, LabelBase = lsp, Module = m };
        Load(fsp - 1);
    }

    static bool IsConfigurationFrame(in Frame f) => f.Body.Code[^1].Op == Op.Finish;

    /// <summary>Whether only values are left in the configuration's own frame (constants still in the code are values).</summary>
    bool ConfigurationDone()
    {
        if (fsp != 1 || pending != Admin.None || lsp != labelBase || !IsConfigurationFrame(frames[0])) return false;
        var (seq, k) = (code, pc);
        if (splicedFrom is not null)
        {
            // a right-hand side's values and its end are no steps: look on where the code resumes
            while (seq[k].Op == Op.Val) k++;
            if (seq[k].Op != Op.Resume) return false;
            (seq, k) = (splicedFrom, resumePc);
        }
        while (seq[k].Op is Op.Const or Op.VConst) k++;
        return seq[k].Op == Op.Finish;
    }

    /// <summary>Steps a configuration begun in its own frame until only values are left; they join the stack.</summary>
    void RunConfiguration()
    {
        while (!Done)
        {
            try
            {
                if (store.Trace is { } trace) TracedStep(trace);
                else { if (faithful) EnterSpliced(); StepTop(); }
            }
            catch (TrapException e) when (pending != Admin.Trap)
            {
                var rule = BeginTrap(e);
                store.Trace?.Invoke(rule);
            }
        }
        EnterSpliced();
        // The constants left are values: each is still an instruction executed, and costs its unit of fuel.
        for (; code[pc].Op is Op.Const or Op.VConst; pc++)
        {
            Charge();
            Push(code[pc].Op == Op.Const ? Value.Num((NumType)code[pc].A, code[pc].C) : Value.V128((V128)code[pc].O!));
        }
    }

    // ---- Stacks ----

    /// <summary>The most values the operand stack (all frames' locals and operands) may hold: 128 MiB, so a deep
    /// recursion of frames with many locals is exhausted long before it strains host memory.</summary>
    const int MaxStackValues = 1 << 22;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Push(in Value v)
    {
        if (sp == stack.Length) GrowStack(sp + 1);
        stack[sp++] = v;
    }

    void GrowStack(int needed)
    {
        if (needed > MaxStackValues) throw new ExhaustionException(TrapCode.CallStackExhausted);
        var size = stack.Length;
        while (size < needed) size *= 2;
        Array.Resize(ref stack, Math.Min(size, MaxStackValues));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Value Pop() => stack[--sp];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    uint PopU32() => (uint)stack[--sp].Bits;

    /// <summary>An address operand of a memory or table with address type <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong PopAddr(AddrType at) => at == AddrType.I32 ? (uint)stack[--sp].Bits : stack[--sp].Bits;

    void PushContext(Ctx kind, int arity, int cont, int height, int end, object? extra = null)
    {
        if (lsp == labels.Length) Array.Resize(ref labels, labels.Length * 2);
        labels[lsp++] = new Context { Kind = kind, Arity = arity, Cont = cont, Height = height, End = end, Extra = extra };
    }

    /// <summary>A trap, remembering the rule that produced it so that a trace can report it. The rule consumed the
    /// instruction's operands: pop them before throwing, so that TRAP sheds only the values below (trap-instrs).</summary>
    TrapException Trap(TrapCode code, string rule, string? detail = null)
    {
        trapRule = rule;
        return new(code, detail);
    }

    string? trapRule;

    /// <summary>One unit of fuel for the instruction about to execute, when the store is metered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Charge()
    {
        if (cells->Metered != 0 && splicedFrom is null) store.Charge(1);
    }

    // ---- Frames ----

    /// <summary>Step_read/call_ref-func: FRAME_n{f} (LABEL_n{} instr*) with the arguments as the first locals.</summary>
    void Enter(FuncInst? f, Body body, ModuleInstance? m = null)
    {
        if (fsp >= depthBudget) throw new ExhaustionException(TrapCode.CallStackExhausted);
        if (fsp > 0) frames[fsp - 1].ReturnPc = pc + 1;
        if (fsp == frames.Length) Array.Resize(ref frames, (int)Math.Min(frames.Length * 2L, Math.Max(depthBudget, 16)));
        int newFp = sp - body.Params;
        InitLocals(newFp, body);
        frames[fsp++] = new Frame { Body = body, Fp = newFp, LabelBase = lsp, Module = m ?? f!.Module, Func = f };
        Load(fsp - 1);
        PushContext(Ctx.Label, body.Results, body.Code.Length - 1, sp, body.Code.Length - 2);
    }

    void InitLocals(int newFp, Body body)
    {
        int n = body.Locals.Length;
        if (newFp + n + 16 > stack.Length) GrowStack(newFp + n + 16);
        for (int k = body.Params; k < n; k++) stack[newFp + k] = Value.Default(body.Locals[k]) ?? Value.Null;
        sp = newFp + n;
    }

    void Load(int f)
    {
        ref var fr = ref frames[f];
        code = fr.Body.Code; fp = fr.Fp; labelBase = fr.LabelBase; module = fr.Module; pc = fr.ReturnPc;
    }

    /// <summary>
    /// Step_read/return_call_ref-frame-addr: the frame is gone, leaving its last n values (the callee's arguments)
    /// and the callee's reference, followed by CALL_REF in the caller. Tail calls so run in constant space.
    /// </summary>
    void DropFrameForTailCall(FuncInst f)
    {
        int n = f.FuncType.Params.Length + 1;
        Array.Copy(stack, sp - n, stack, fp, n);
        sp = fp + n;
        lsp = labelBase;
        fsp--;
        if (fsp > 0) { Load(fsp - 1); pc--; } // the caller's pc stays at its call until CALL_REF enters the callee
        else pc = -1;
    }

    /// <summary>Step_pure/frame-vals: the frame's results replace it; the caller resumes.</summary>
    void LeaveFrame()
    {
        int n = frames[fsp - 1].Body.Results;
        Array.Copy(stack, sp - n, stack, fp, n);
        sp = fp + n;
        lsp = labelBase;
        fsp--;
        if (fsp > 0) Load(fsp - 1);
    }

    /// <summary>A host function: its arguments are popped, its results pushed; its failures become typed errors.
    /// While it runs, the store's call-depth budget is what this configuration's frames left of it.</summary>
    void CallHost(FuncInst f)
    {
        var ft = f.FuncType;
        var args = stack.AsSpan(sp - ft.Params.Length, ft.Params.Length).ToArray();
        sp -= args.Length;
        IReadOnlyList<Value> res;
        cells->DepthLeft = depthBudget - fsp;
        try { res = f.CallHost(args); }
        catch (UncaughtWasmException e) { pending = Admin.ThrowRef; pendingExn = e.Exception; throwAt = pc; return; }
        finally { cells->DepthLeft = depthBudget; }
        foreach (var v in res) Push(v);
    }

    // ---- The step ----

    /// <summary>Applies one reduction rule and returns its name (e.g. "Step_pure/br_if-true").</summary>
    public string Step()
    {
        if (Done) throw new InvalidOperationException("the configuration is already values");
        faithful = true; // one rule at a time is observed: no rule is applied together with the next
        recordChanges = true;
        changes.Clear();
        try { EnterSpliced(); return StepTop(); }
        catch (TrapException e) when (pending != Admin.Trap) { return BeginTrap(e); }
    }

    string StepTop()
    {
        if (pending == Admin.Trap && fsp == 0) throw pendingTrap!; // the configuration is TRAP
        if (cells->Interrupt != 0 && store.TakeInterrupt() is { } stop) throw new ExhaustionException(stop);
        steps++;
        if (pending != Admin.None) return StepAdmin();
        // Constants are values, not redexes: they join the operand stack on the way to the next instruction.
        // Each is still an instruction executed, and so costs its unit of fuel.
        while (true)
        {
            ref readonly var v = ref code[pc];
            if (v.Op == Op.Const) { Charge(); Push(Value.Num((NumType)v.A, v.C)); }
            else if (v.Op == Op.VConst) { Charge(); Push(Value.V128((V128)v.O!)); }
            else break;
            pc++;
        }
        ref readonly var i = ref code[pc];
        // A Wasm instruction begins here (the markers of a context's end are none): one unit of fuel.
        if (i.Op is not (Op.Else or Op.End or Op.HandlerEnd or Op.FrameEnd or Op.Finish)) Charge();
        switch (i.Op)
        {
            case Op.Unreachable: throw Trap(TrapCode.Unreachable, "Step_pure/unreachable");
            case Op.Nop: pc++; return "Step_pure/nop";
            case Op.Drop: sp--; pc++; return "Step_pure/drop";
            case Op.Select:
            {
                var c = PopU32(); var v2 = Pop();
                pc++;
                if (c != 0) return "Step_pure/select-true";
                stack[sp - 1] = v2; return "Step_pure/select-false";
            }
            case Op.Block: PushContext(Ctx.Label, i.B, (int)i.C + 1, sp - i.A, (int)i.C); pc++; return "Step_read/block";
            case Op.Loop: PushContext(Ctx.Label, i.A, pc, sp - i.A, (int)i.C); pc++; return "Step_read/loop";
            case Op.If:
            {
                pending = Admin.Block;
                if (PopU32() != 0) { pendingLabel = pc + 1; return "Step_pure/if-true"; }
                pendingLabel = (int)i.C; return "Step_pure/if-false";
            }
            case Op.Else: lsp--; pc = i.A; return "Step_pure/label-vals";
            case Op.End:
                lsp--;
                pc = i.A;
                return "Step_pure/label-vals";
            case Op.HandlerEnd: lsp--; pc++; return "Step_pure/handler-vals";
            case Op.FrameEnd: LeaveFrame(); return "Step_pure/frame-vals";
            case Op.Finish: throw new InvalidOperationException("the configuration is already values");
            case Op.Br: pending = Admin.Br; pendingLabel = i.A; Travels(pc, pc + 1); return StepAdmin();
            case Op.BrIf:
                pc++;
                if (PopU32() == 0) return "Step_pure/br_if-false";
                pending = Admin.Br; pendingLabel = i.A; Travels(pc - 1, pc); return "Step_pure/br_if-true";
            case Op.BrTable:
            {
                var ls = (int[])i.O!;
                var k = PopU32();
                pending = Admin.Br;
                Travels(pc, pc + 1);
                if (k < ls.Length - 1) { pendingLabel = ls[k]; return "Step_pure/br_table-lt"; }
                pendingLabel = ls[^1]; return "Step_pure/br_table-ge";
            }
            case Op.LocalGet: Push(stack[fp + i.A]); pc++; return "Step_read/local.get";
            case Op.LocalSet: stack[fp + i.A] = stack[--sp]; pc++; return "Step/local.set";
            case Op.LocalTee:
                if (faithful) return StepLocalTeeFaithful(i);
                stack[fp + i.A] = stack[sp - 1]; pc++; return "Step_pure/local.tee";
            case Op.GlobalGet: Push(((GlobalInst)i.O!).Value); pc++; return "Step_read/global.get";
            case Op.GlobalSet:
                ((GlobalInst)i.O!).Value = stack[--sp]; pc++;
                if (recordChanges) changes.Add(new StoreChange($"global {store.globals.IndexOf((GlobalInst)i.O!)}", stack[sp]));
                return "Step/global.set";
            case Op.Unop: return StepUnop(i);
            case Op.Binop: return StepBinop(i);
            case Op.Testop: return StepTestop(i);
            case Op.Relop: return StepRelop(i);
            case Op.Cvtop: return StepCvtop(i);
            case Op.WideArith: return StepWideArith(i);
            case Op.Load: return StepLoad(i);
            case Op.Store: return StepStore(i);
            case Op.Call: return StepCall(i);
            case Op.CallRef: pending = Admin.CallRef; pendingIndirect = false; return StepAdmin();
            case Op.CallIndirect: return StepCallIndirect(tail: false);
            case Op.Return: pending = Admin.Return; Travels(pc, pc + 1); return StepAdmin();
            case Op.ReturnCall: return StepReturnCall(i);
            case Op.ReturnCallRef: pending = Admin.ReturnCallRef; pendingIndirect = false; return StepAdmin();
            case Op.ReturnCallIndirect: return StepCallIndirect(tail: true);
            case Op.BrOnNull: return StepBrOnNull(i);
            case Op.BrOnNonNull: return StepBrOnNonNull(i);
            case Op.BrOnCast: return StepBrOnCast(i, fail: false);
            case Op.BrOnCastFail: return StepBrOnCast(i, fail: true);
            case Op.BrOnCastDescEq: return StepBrOnCastDescEq(i, fail: false);
            case Op.BrOnCastDescEqFail: return StepBrOnCastDescEq(i, fail: true);
            case Op.Throw: return StepThrow(i);
            case Op.ThrowRef: return StepThrowRef();
            case Op.TryTable: return StepTryTable(i);
            case Op.LegacyTry: return StepLegacyTry(i);
            case Op.LegacyTryDelegate: return StepLegacyTryDelegate(i);
            case Op.LegacyRethrow: return StepLegacyRethrow(i);
            default: { var rule = StepOther(i); pc++; return rule; }
        }
    }

    /// <summary>BR or RETURN begins to travel from the instruction at <paramref name="from"/>, the rest of its sequence at <paramref name="rest"/>.</summary>
    void Travels(int from, int rest) { travelFrom = from; travelRest = rest; }

    /// <summary>An administrative instruction moving outwards meets the innermost context.</summary>
    string StepAdmin()
    {
        switch (pending)
        {
            case Admin.Br:
            {
                ref var top = ref labels[lsp - 1];
                if (top.Kind != Ctx.Label) { travelRest = After(top); lsp--; return "Step_pure/br-handler"; }
                if (pendingLabel > 0) { travelRest = After(top); lsp--; pendingLabel--; return "Step_pure/br-label-succ"; }
                int n = top.Arity;
                Array.Copy(stack, sp - n, stack, top.Height, n);
                sp = top.Height + n;
                pc = top.Cont;
                lsp--;
                pending = Admin.None;
                return "Step_pure/br-label-zero";
            }
            case Admin.Return:
                if (lsp > labelBase)
                {
                    var kind = labels[--lsp].Kind;
                    travelRest = After(labels[lsp]);
                    return kind == Ctx.Label ? "Step_pure/return-label" : "Step_pure/return-handler";
                }
                pending = Admin.None;
                LeaveFrame();
                return "Step_pure/return-frame";
            case Admin.Block:
            {
                // Step_read/block: the branch chosen by if, entered as BLOCK bt instr*
                ref readonly var i = ref code[pc];
                PushContext(Ctx.Label, i.B, i.D + 1, sp - i.A, i.D);
                pc = pendingLabel;
                pending = Admin.None;
                return "Step_read/block";
            }
            case Admin.CallRef: return StepCallRef();
            case Admin.ReturnCallRef: return StepReturnCallRef();
            case Admin.TableGet: return StepIndirectTableGet();
            case Admin.RefCast: return StepIndirectRefCast();
            case Admin.Trap: return StepTrapping();
            default:
                if (ThrowRefHasCompany())
                {
                    // Step_read/throw_ref-instrs: val* (REF.EXN_ADDR a) THROW_REF instr* ~> (REF.EXN_ADDR a) THROW_REF
                    sp = InnermostHeight();
                    throwAt = -1;
                    return "Step_read/throw_ref-instrs";
                }
                return StepThrowing(pendingExn!);
        }
    }
}
