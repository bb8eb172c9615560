using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Spec.Syntax;

namespace Spec.Validation;

// Appendix: the validation algorithm (algorithm.rst), running in time linear in the size of the code.
// Instrs_ok/seq is the loop over a body; Instrs_ok/sub is the subsumption done by popping against expected types;
// Instrs_ok/frame is the operand stack below the current control frame's height; Instrtype_ok and Instrtype_sub are
// the checks of each popped and pushed type. Imperative by design: an operand
// stack and a control stack of frames, walked without recursion so that deep nesting cannot overflow the host stack.

/// <summary>What kind of construct a control frame was pushed for.</summary>
internal enum CtrlKind : byte { Func, Block, Loop, If, Else, TryTable, LegacyTry, LegacyCatch, LegacyCatchAll, LegacyDelegate }

/// <summary>A control frame: its instruction type, the operand stack height at entry, and where in its body checking is.</summary>
internal sealed class Ctrl
{
    public CtrlKind Kind;
    public ImmutableArray<ValType> Start, End;
    public int Height, InitHeight;
    public bool Unreachable;
    public ImmutableArray<Instr> Body;
    public int Pc;
    public Instr? Source;
    public int Next; // the next catch clause to check, for legacy try

    /// <summary>The label's result type: a loop is branched to at its start, anything else at its end.</summary>
    public ImmutableArray<ValType> LabelTypes => Kind == CtrlKind.Loop ? Start : End;
}

internal sealed partial class Checker(Context C, Features features)
{
    readonly List<ValType> vals = [];
    readonly List<Ctrl> ctrls = [];
    readonly List<uint> inits = [];   // locals set since some frame began, undone when that frame ends
    bool constant;                    // checking a constant expression: Instr_const applies to every instruction
    readonly Action<string>? trace = Validator.Trace;
    // br_on_cast and br_on_cast_fail as the custom descriptors proposal types them (contradicting Wasm 3.0's testsuite)
    readonly bool relaxedCasts = features.CustomDescriptors;

    static readonly ImmutableArray<ValType> None = [];
    static readonly ImmutableArray<ValType> I32s = [ValType.I32];

    // ---- Expr_ok ----

    /// <summary>Expr_ok: C |- expr : t*, with C.LOCALS and C.RETURN already set for a function body.</summary>
    public void Expr_ok(Expr expr, ImmutableArray<ValType> results)
    {
        vals.Clear(); ctrls.Clear(); inits.Clear();
        constant = false;
        C.InstrIndex = -1;
        PushCtrl(CtrlKind.Func, None, results, expr.Instrs.OrEmpty(), null);
        Run();
    }

    /// <summary>Expr_ok_const: C |- expr : t CONST.</summary>
    public void Expr_ok_const(Expr expr, ValType t)
    {
        var saved = (C.Locals, C.Return);
        C.Locals = []; C.Return = null;
        vals.Clear(); ctrls.Clear(); inits.Clear();
        constant = true;
        C.InstrIndex = -1;
        PushCtrl(CtrlKind.Func, None, [t], expr.Instrs.OrEmpty(), null);
        Run();
        (C.Locals, C.Return) = saved;
    }

    // Instrs_ok/empty, Instrs_ok/instr, Instrs_ok/seq: each instruction in turn; a body's end closes its frame.
    void Run()
    {
        while (ctrls.Count > 0)
        {
            var f = ctrls[^1];
            if (f.Pc < f.Body.Length)
            {
                var instr = f.Body[f.Pc++];
                C.InstrIndex++;
                if (constant) Instr_const(instr);
                Instr_ok(instr);
            }
            else End(f);
        }
    }

    void End(Ctrl f)
    {
        C.Rule = f.Kind switch
        {
            CtrlKind.Func => "Expr_ok",
            CtrlKind.Block => "Instr_ok/block",
            CtrlKind.Loop => "Instr_ok/loop",
            CtrlKind.If or CtrlKind.Else => "Instr_ok/if",
            CtrlKind.TryTable => "Instr_ok/try_table",
            _ => "Instr_ok/try",
        };
        if (f.Kind == CtrlKind.Else && ((If)f.Source!).Else.IsDefaultOrEmpty)
        {
            // The missing else is an empty branch of type t_1* -> t_2*: it can only leave the parameters as results.
            try { PopCtrl(); }
            catch (ValidationException)
            {
                Fail($"type mismatch: if without else needs one: its type [{string.Join(" ", f.Start)}] -> [{string.Join(" ", f.End)}] is not that of an empty branch");
            }
        }
        else PopCtrl();
        switch (f.Kind)
        {
            case CtrlKind.If:
                // The else branch, possibly empty, has the same instruction type as the then branch.
                PushCtrl(CtrlKind.Else, f.Start, f.End, ((If)f.Source!).Else.OrEmpty(), f.Source);
                return;
            case CtrlKind.LegacyTry or CtrlKind.LegacyCatch:
                if (LegacyNextHandler(f)) return;
                break;
            case CtrlKind.LegacyDelegate:
                Label(((LegacyTryDelegate)f.Source!).Label);
                break;
        }
        if (f.Kind != CtrlKind.Func) PushVals(f.End);
    }

    // ---- Operand and control stack operations of the algorithm ----

    public void Push(ValType t) => vals.Add(t);

    public void PushVals(ImmutableArray<ValType> ts)
    {
        foreach (var t in ts) vals.Add(t);
    }

    public ValType Pop()
    {
        var f = ctrls[^1];
        if (vals.Count == f.Height)
        {
            if (f.Unreachable) return ValType.Bot;
            Fail("type mismatch: instruction requires an operand but the stack is empty");
        }
        var t = vals[^1];
        vals.RemoveAt(vals.Count - 1);
        return t;
    }

    /// <summary>Pops an operand that must match <paramref name="expect"/> (Instrs_ok/sub).</summary>
    public ValType Pop(ValType expect)
    {
        var f = ctrls[^1];
        if (vals.Count == f.Height)
        {
            if (f.Unreachable) return ValType.Bot;
            Fail($"type mismatch: instruction requires [{expect}] but stack has []");
        }
        var t = vals[^1];
        if (!ReferenceEquals(t, expect) && !Subtyping.Valtype_sub(t, expect))
            Fail($"type mismatch: instruction requires [{expect}] but stack has [{t}]");
        vals.RemoveAt(vals.Count - 1);
        return t;
    }

    public void PopVals(ImmutableArray<ValType> ts)
    {
        for (var i = ts.Length - 1; i >= 0; i--) Pop(ts[i]);
    }

    /// <summary>Pops <paramref name="n"/> operands of type <paramref name="t"/>; below a polymorphic stack's values all are bottom,
    /// so the work is bounded by the stack, not by the (possibly huge) count the instruction claims.</summary>
    void PopN(ValType t, uint n)
    {
        var f = ctrls[^1];
        var available = (uint)(vals.Count - f.Height);
        for (var k = 0u; k < Math.Min(n, available); k++) Pop(t);
        if (n > available && !f.Unreachable) Fail($"type mismatch: instruction requires {n} operands of type {t} but stack has {available}");
    }

    /// <summary>Pops operands matching <paramref name="ts"/> and returns what was actually there.</summary>
    ValType[] PopValsKeep(ImmutableArray<ValType> ts)
    {
        var popped = new ValType[ts.Length];
        for (var i = ts.Length - 1; i >= 0; i--) popped[i] = Pop(ts[i]);
        return popped;
    }

    /// <summary>Pops a reference; null if the stack is polymorphic there (bottom).</summary>
    RefType? PopRef()
    {
        var t = Pop();
        return t switch
        {
            RefType rt => rt,
            BotValType => null,
            _ => throw C.Error($"type mismatch: instruction requires a reference type but stack has {t}"),
        };
    }

    void PushCtrl(CtrlKind kind, ImmutableArray<ValType> start, ImmutableArray<ValType> end, ImmutableArray<Instr> body, Instr? source)
    {
        ctrls.Add(new Ctrl
        {
            Kind = kind, Start = start, End = end, Height = vals.Count, InitHeight = inits.Count,
            Body = body, Source = source,
        });
        PushVals(start);
    }

    Ctrl PopCtrl()
    {
        var f = ctrls[^1];
        // Values beyond the block's results: said before popping, so the message shows the stack as it is.
        if (vals.Count - f.Height > f.End.Length)
            Fail($"type mismatch: block requires [{string.Join(" ", f.End)}] but stack has [{string.Join(" ", vals.Skip(f.Height))}]");
        PopVals(f.End);
        // Leaving a block forgets which locals it initialised.
        while (inits.Count > f.InitHeight)
        {
            C.Locals[inits[^1]].Set = false;
            inits.RemoveAt(inits.Count - 1);
        }
        ctrls.RemoveAt(ctrls.Count - 1);
        return f;
    }

    /// <summary>After an unconditional branch: the rest of the block is stack-polymorphic.</summary>
    void SetUnreachable()
    {
        var f = ctrls[^1];
        vals.RemoveRange(f.Height, vals.Count - f.Height);
        f.Unreachable = true;
    }

    /// <summary>C.LABELS[l]: the frame l levels out.</summary>
    Ctrl Label(uint l)
    {
        if (l >= (uint)ctrls.Count) Fail($"unknown label {l}");
        return ctrls[ctrls.Count - 1 - (int)l];
    }

    /// <summary>Local_ok's init state: local.set and local.tee make a local SET until the enclosing block ends.</summary>
    void InitLocal(uint x)
    {
        ref var local = ref C.Local(x);
        if (local.Set) return;
        local.Set = true;
        inits.Add(x);
    }

    [DoesNotReturn]
    void Fail(string reason) => C.Fail(reason);

    void Rule(string rule)
    {
        C.Rule = rule;
        trace?.Invoke(rule);
    }

    // ---- Instr_const ----

    void Instr_const(Instr instr)
    {
        var ok = instr switch
        {
            Const or VConst or RefNull or RefI31 or RefFunc => true,                        // Instr_const/const, Instr_const/vconst, Instr_const/ref.null, Instr_const/ref.i31, Instr_const/ref.func
            StructNew or StructNewDefault or ArrayNew or ArrayNewDefault or ArrayNewFixed => true, // Instr_const/struct.new, Instr_const/struct.new_default, Instr_const/array.new, Instr_const/array.new_default, Instr_const/array.new_fixed
            StructNewDesc or StructNewDefaultDesc => true,                                  // Instr_const/struct.new_desc, Instr_const/struct.new_default_desc (custom descriptors proposal)
            AnyConvertExtern or ExternConvertAny => true,                                   // Instr_const/any.convert_extern, Instr_const/extern.convert_any
            Binop { Type: NumType.I32 or NumType.I64, Op: BinOp.Add or BinOp.Sub or BinOp.Mul } => true, // Instr_const/binop
            GlobalGet g => ConstGlobal(g.Global),                                           // Instr_const/global.get
            _ => false,
        };
        if (!ok)
        {
            C.Rule = instr is GlobalGet ? "Instr_const/global.get" : "Expr_const";
            Fail("constant expression required");
        }
    }

    // Instr_const/global.get: only immutable globals, and only those in scope (imported or defined earlier).
    bool ConstGlobal(uint x)
    {
        C.Rule = "Instr_const/global.get";
        return C.Global(x).Mut == Mut.Const;
    }
}
