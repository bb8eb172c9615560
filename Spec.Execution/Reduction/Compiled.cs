using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Execution.Reduction;

// The interpreter's view of a function body: the nested instruction sequence flattened once into an
// array, block ends and else branches marked by administrative markers with precomputed jump targets,
// so a step never searches or copies the program. Performance-critical: imperative on purpose.

internal static class Compiled
{
    /// <summary>The operation of one flat instruction. Structured instructions keep their spec names;
    /// End/Else/HandlerEnd/FrameEnd mark where a LABEL_, HANDLER_ or FRAME_ context ends, Finish where the instructions
    /// of a configuration's own frame end (nothing encloses them: reaching it, the configuration is values).</summary>
    public enum Op : byte
    {
        Unreachable, Nop, Drop, Select,
        Block, Loop, If, Else, End, HandlerEnd, FrameEnd, Finish,
        Br, BrIf, BrTable, BrOnNull, BrOnNonNull, BrOnCast, BrOnCastFail, BrOnCastDescEq, BrOnCastDescEqFail,
        Call, CallRef, CallIndirect, Return, ReturnCall, ReturnCallRef, ReturnCallIndirect,
        Throw, ThrowRef, TryTable, LegacyTry, LegacyTryDelegate, LegacyRethrow,
        LocalGet, LocalSet, LocalTee, GlobalGet, GlobalSet,
        Load, Store,
        Const, VConst, Unop, Binop, Testop, Relop, Cvtop,
        /// <summary>The wide-arithmetic proposal's i64 pair operators; A is the WideOp.</summary>
        WideArith,
        /// <summary>Every other instruction: dispatched on its syntax record.</summary>
        Other,
        /// <summary>Only in a rule's spliced right-hand side: a value (O, boxed) that joins the stack without a step.</summary>
        Val,
        /// <summary>Only at the end of a spliced right-hand side: the code resumes where the rule's instruction was.</summary>
        Resume,
    }

    /// <summary>One flat instruction: A, B, C are the operation's immediates and targets, I the source instruction.</summary>
    public struct Inst
    {
        public Op Op;
        public int A;
        public int B;
        public int D;
        public ulong C;
        public object? O;
        public Instr? I;
    }

    /// <summary>A try_table's catch clauses with their tags resolved (null for catch_all).</summary>
    public sealed record Handler(ImmutableArray<Catch> Catches, TagInst?[] Tags);

    /// <summary>A legacy try's catch clauses: the tag (null for catch_all) and where its body starts.</summary>
    public sealed record LegacyCatches(ImmutableArray<(TagInst? Tag, int Pc)> Clauses);

    /// <summary>A compiled function: its code, the types of its locals (parameters first), and its arities.</summary>
    public sealed class Body(Inst[] code, ValType[] locals, int parameters, int results)
    {
        public readonly Inst[] Code = code;
        public readonly ValType[] Locals = locals;
        public readonly int Params = parameters;
        public readonly int Results = results;
    }

    /// <summary>Compiles <paramref name="f"/>'s body; the function's label ends at End, its frame at FrameEnd.</summary>
    public static Body Compile(FuncInst f)
    {
        var ft = f.FuncType;
        var code = new List<Inst>();
        var builder = new Builder(f.Module, code);
        builder.Seq(f.Code!.Body.Instrs);
        code.Add(new Inst { Op = Op.End, A = code.Count + 1 });
        code.Add(new Inst { Op = Op.FrameEnd });
        var locals = ft.Params.Concat(f.Code.Locals.Select(l => Types.Inst(l.Type, f.Module.Types))).ToArray();
        return new Body([.. code], locals, ft.Params.Length, ft.Results.Length);
    }

    /// <summary>
    /// Compiles instructions that run in a configuration's own frame, {MODULE module} with no locals and no FRAME_ or
    /// LABEL_ around them: a constant expression (Eval_expr, one result) or what instantiation leaves to run.
    /// </summary>
    public static Body CompileConfiguration(ModuleInstance module, IEnumerable<Instr> instrs, int results)
    {
        var code = new List<Inst>();
        new Builder(module, code).Seq([.. instrs]);
        code.Add(new Inst { Op = Op.Finish });
        return new Body([.. code], [], 0, results);
    }

    /// <summary>One plain (not structured) instruction of a rule's right-hand side, compiled in <paramref name="module"/>.</summary>
    public static Inst One(ModuleInstance module, Instr instr)
    {
        var code = new List<Inst>(1);
        new Builder(module, code).Seq([instr]);
        return code[0];
    }

    /// <summary>(parameter count, result count) of a block type.</summary>
    public static (int, int) Arity(BlockType bt, ModuleInstance m) => bt switch
    {
        ValBlockType { Result: null } => (0, 0),
        ValBlockType => (0, 1),
        IdxBlockType x => Types.Expand(m.Types[x.TypeIdx]) is FuncType ft ? (ft.Params.Length, ft.Results.Length) : (0, 0),
        _ => (0, 0),
    };

    sealed class Builder(ModuleInstance m, List<Inst> code)
    {
        int Emit(Inst i) { code.Add(i); return code.Count - 1; }

        void Patch(int at, Func<Inst, Inst> f) => code[at] = f(code[at]);

        // Nesting is unbounded in the binary format, so bodies are flattened with an explicit work stack:
        // each entry is a sequence still to emit and what to emit once it is done.
        readonly Stack<(ImmutableArray<Instr> Seq, int Next, Action? Then)> work = new();

        public void Seq(ImmutableArray<Instr> instrs)
        {
            Nested(instrs, null);
            while (work.Count > 0)
            {
                var (seq, next, then) = work.Pop();
                if (next < seq.Length) { work.Push((seq, next + 1, then)); One(seq[next]); }
                else then?.Invoke();
            }
        }

        void Nested(ImmutableArray<Instr> body, Action? then) => work.Push((body.OrEmpty(), 0, then));

        void One(Instr instr)
        {
            switch (instr)
            {
                case Nop: Emit(new Inst { Op = Op.Nop, I = instr }); break;
                case Unreachable: Emit(new Inst { Op = Op.Unreachable, I = instr }); break;
                case Drop: Emit(new Inst { Op = Op.Drop, I = instr }); break;
                case Select: Emit(new Inst { Op = Op.Select, I = instr }); break;
                case Block b:
                {
                    var (p, r) = Arity(b.Type, m);
                    var at = Emit(new Inst { Op = Op.Block, A = p, B = r, I = instr });
                    Nested(b.Body, () =>
                    {
                        var end = Emit(new Inst { Op = Op.End, A = code.Count + 1 });
                        Patch(at, i => i with { C = (ulong)end });
                    });
                    break;
                }
                case Loop l:
                {
                    var (p, r) = Arity(l.Type, m);
                    var at = Emit(new Inst { Op = Op.Loop, A = p, B = r, I = instr });
                    Nested(l.Body, () =>
                    {
                        var end = Emit(new Inst { Op = Op.End, A = code.Count + 1 });
                        Patch(at, i => i with { C = (ulong)end });
                    });
                    break;
                }
                case If f:
                {
                    var (p, r) = Arity(f.Type, m);
                    var at = Emit(new Inst { Op = Op.If, A = p, B = r, I = instr });
                    void Finish(int? els)
                    {
                        var end = Emit(new Inst { Op = Op.End, A = code.Count + 1 });
                        if (els is { } e) Patch(e, i => i with { A = end + 1 });
                        Patch(at, i => i with { C = (ulong)(els is { } e2 ? e2 + 1 : end), D = end });
                    }
                    Nested(f.Then, () =>
                    {
                        if (f.Else.IsDefaultOrEmpty) { Finish(null); return; }
                        var els = Emit(new Inst { Op = Op.Else });
                        Nested(f.Else, () => Finish(els));
                    });
                    break;
                }
                case TryTable t:
                {
                    var (p, r) = Arity(t.Type, m);
                    var at = Emit(new Inst { Op = Op.TryTable, A = p, B = r, I = instr,
                        O = new Handler(t.Catches,
                        [.. t.Catches.Select(c => c is CatchTag ct ? m.tags[(int)ct.Tag] : c is CatchTagRef cr ? m.tags[(int)cr.Tag] : null)]) });
                    Nested(t.Body, () =>
                    {
                        var end = Emit(new Inst { Op = Op.End, A = code.Count + 1 });
                        Emit(new Inst { Op = Op.HandlerEnd });
                        Patch(at, i => i with { C = (ulong)end });
                    });
                    break;
                }
                case LegacyTry t:
                {
                    var (p, r) = Arity(t.Type, m);
                    var at = Emit(new Inst { Op = Op.LegacyTry, A = p, B = r, I = instr });
                    var ends = new List<int>();
                    var clauses = new List<(TagInst?, int)>();
                    void Clause(int k)
                    {
                        if (k < t.Catches.Length)
                        {
                            clauses.Add((m.tags[(int)t.Catches[k].Tag], code.Count));
                            Nested(t.Catches[k].Body, () => { ends.Add(Emit(new Inst { Op = Op.End })); Clause(k + 1); });
                        }
                        else if (k == t.Catches.Length && t.CatchAll is { } all)
                        {
                            clauses.Add((null, code.Count));
                            Nested(all, () => { ends.Add(Emit(new Inst { Op = Op.End })); Clause(k + 1); });
                        }
                        else
                        {
                            foreach (var e in ends) Patch(e, i => i with { A = code.Count });
                            Patch(at, i => i with { C = (ulong)ends[0], O = new LegacyCatches([.. clauses]) });
                        }
                    }
                    Nested(t.Body, () =>
                    {
                        Emit(new Inst { Op = Op.HandlerEnd });
                        ends.Add(Emit(new Inst { Op = Op.End }));
                        Clause(0);
                    });
                    break;
                }
                case LegacyTryDelegate t:
                {
                    var (p, r) = Arity(t.Type, m);
                    var at = Emit(new Inst { Op = Op.LegacyTryDelegate, A = p, B = r, I = instr });
                    Nested(t.Body, () =>
                    {
                        Emit(new Inst { Op = Op.HandlerEnd });
                        var end = Emit(new Inst { Op = Op.End, A = code.Count + 1 });
                        Patch(at, i => i with { C = (ulong)end });
                    });
                    break;
                }
                case LegacyRethrow rt: Emit(new Inst { Op = Op.LegacyRethrow, A = (int)rt.Label, I = instr }); break;
                case Br br: Emit(new Inst { Op = Op.Br, A = (int)br.Label, I = instr }); break;
                case BrIf br: Emit(new Inst { Op = Op.BrIf, A = (int)br.Label, I = instr }); break;
                case BrTable bt: Emit(new Inst { Op = Op.BrTable, O = bt.Labels.Select(l => (int)l).Append((int)bt.Default).ToArray(), I = instr }); break;
                case BrOnNull b: Emit(new Inst { Op = Op.BrOnNull, A = (int)b.Label, I = instr }); break;
                case BrOnNonNull b: Emit(new Inst { Op = Op.BrOnNonNull, A = (int)b.Label, I = instr }); break;
                case BrOnCast b: Emit(new Inst { Op = Op.BrOnCast, A = (int)b.Label, O = Types.Inst(b.To, m.Types), I = instr }); break;
                case BrOnCastFail b: Emit(new Inst { Op = Op.BrOnCastFail, A = (int)b.Label, O = Types.Inst(b.To, m.Types), I = instr }); break;
                case BrOnCastDescEq b: Emit(new Inst { Op = Op.BrOnCastDescEq, A = (int)b.Label, O = Types.Inst(b.To, m.Types), I = instr }); break;
                case BrOnCastDescEqFail b: Emit(new Inst { Op = Op.BrOnCastDescEqFail, A = (int)b.Label, O = Types.Inst(b.To, m.Types), I = instr }); break;
                case Call c: Emit(new Inst { Op = Op.Call, O = m.funcs[(int)c.Func], I = instr }); break;
                case ReturnCall c: Emit(new Inst { Op = Op.ReturnCall, O = m.funcs[(int)c.Func], I = instr }); break;
                case CallRef c: Emit(new Inst { Op = Op.CallRef, I = instr }); break;
                case ReturnCallRef c: Emit(new Inst { Op = Op.ReturnCallRef, I = instr }); break;
                case CallIndirect c: Emit(new Inst { Op = Op.CallIndirect, O = m.tables[(int)c.Table], C = c.TypeIdx, I = instr }); break;
                case ReturnCallIndirect c: Emit(new Inst { Op = Op.ReturnCallIndirect, O = m.tables[(int)c.Table], C = c.TypeIdx, I = instr }); break;
                case Return: Emit(new Inst { Op = Op.Return, I = instr }); break;
                case Throw t: Emit(new Inst { Op = Op.Throw, O = m.tags[(int)t.Tag], I = instr }); break;
                case ThrowRef: Emit(new Inst { Op = Op.ThrowRef, I = instr }); break;
                case LocalGet l: Emit(new Inst { Op = Op.LocalGet, A = (int)l.Local, I = instr }); break;
                case LocalSet l: Emit(new Inst { Op = Op.LocalSet, A = (int)l.Local, I = instr }); break;
                case LocalTee l: Emit(new Inst { Op = Op.LocalTee, A = (int)l.Local, I = instr }); break;
                case GlobalGet g: Emit(new Inst { Op = Op.GlobalGet, O = m.globals[(int)g.Global], I = instr }); break;
                case GlobalSet g: Emit(new Inst { Op = Op.GlobalSet, O = m.globals[(int)g.Global], I = instr }); break;
                case Load l: Emit(new Inst { Op = Op.Load, A = (int)l.Type, B = l.Op is { } lo ? (int)lo.Size * 2 + (int)lo.Sx : 0, C = l.Arg.Offset, O = m.mems[(int)l.Mem], I = instr }); break;
                case Syntax.Store s: Emit(new Inst { Op = Op.Store, A = (int)s.Type, B = s.Size is { } sz ? (int)sz : 0, C = s.Arg.Offset, O = m.mems[(int)s.Mem], I = instr }); break;
                case Const c: Emit(new Inst { Op = Op.Const, A = (int)c.Type, C = c.Bits, I = instr }); break;
                case Unop u: Emit(new Inst { Op = Op.Unop, A = (int)u.Type, B = (int)u.Op, I = instr }); break;
                case Binop b: Emit(new Inst { Op = Op.Binop, A = (int)b.Type, B = (int)b.Op, I = instr }); break;
                case Testop t: Emit(new Inst { Op = Op.Testop, A = (int)t.Type, B = (int)t.Op, I = instr }); break;
                case Relop r: Emit(new Inst { Op = Op.Relop, A = (int)r.Type, B = (int)r.Op, I = instr }); break;
                case Cvtop c: Emit(new Inst { Op = Op.Cvtop, A = (int)c.To, B = (int)c.From, C = (ulong)c.Op, I = instr }); break;
                case Syntax.WideArith w: Emit(new Inst { Op = Op.WideArith, A = (int)w.Op, I = instr }); break;
                case VConst v: Emit(new Inst { Op = Op.VConst, C = v.Value.Lo, A = 0, O = v.Value, I = instr }); break;
                case RefTest t: Emit(new Inst { Op = Op.Other, O = Types.Inst(t.Type, m.Types), I = instr }); break;
                case RefCast t: Emit(new Inst { Op = Op.Other, O = Types.Inst(t.Type, m.Types), I = instr }); break;
                default: Emit(new Inst { Op = Op.Other, I = instr }); break;
            }
        }
    }
}
