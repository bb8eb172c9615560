using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Cli.Fuzz;

/// <summary>
/// Near-valid modules: a valid generated module with exactly one validation rule broken, and the rule and reason a
/// validator must reject it with. Each breakage names the rule of the spec it violates.
/// </summary>
internal static class NearValid
{
    /// <summary>One broken module: the rule broken, the reason's prefix the testsuite's message would have, the module.</summary>
    public sealed record Broken(string Rule, string Reason, Module Module);

    /// <summary>Every breakage that applies to <paramref name="m"/> (a module of <see cref="ModuleGenerator"/>).</summary>
    public static IEnumerable<Broken> Of(Module m)
    {
        var funcs = (uint)m.Funcs.Length;
        // Export_ok: the names of the exports are disjoint.
        yield return new("Module_ok", "duplicate export name", m with { Exports = m.Exports.Add(m.Exports[0]) });
        // Externidx_ok/func: an exported function exists.
        yield return new("Export_ok", "unknown function", m with { Exports = m.Exports.Add(new Export("missing", new ExternIdx(ExternKind.Func, funcs))) });
        // Data_ok / Datamode_ok/active: the memory of an active segment exists.
        yield return new("Datamode_ok/active", "unknown memory", m with { Datas = m.Datas.Add(new Data([1], new DataActive(1, new Expr([Const.I32(0)])))) });
        // Elem_ok: ref.func of a function that does not exist.
        yield return new("Instr_ok/ref.func", "unknown function", m with { Elems = m.Elems.Add(new Elem(RefType.FuncRef, [new Expr([new RefFunc(funcs)])], ElemDeclare.I)) });
        // Global_ok: the initialiser has the global's type.
        yield return new("Expr_ok", "type mismatch", m with { Globals = m.Globals.Add(new Global(new GlobalType(Mut.Const, ValType.I32), new Expr([new Const(NumType.I64, 0)]))) });
        // Memtype_ok / Limits_ok: the minimum is at most the maximum.
        yield return new("Mem_ok", "size minimum must not be greater than maximum",
            m with { Mems = [new Mem(m.Mems[0].Type with { Limits = new Limits(5, 4) })] });
        // Start_ok: the start function has type [] -> []; the last function is a wrapper that takes f0's parameters and returns its results.
        var last = m.Funcs[^1];
        var ft = (FuncType)m.Types[(int)last.TypeIdx].Rec.Subs[0].Comp;
        if (ft.Params.Length + ft.Results.Length > 0)
            yield return new("Start_ok", "start function must have type [] -> []", m with { Start = new Start(funcs - 1) });
        // Instr_ok/local.get: the local exists.
        var f0 = m.Funcs[0];
        var f0Type = (FuncType)m.Types[(int)f0.TypeIdx].Rec.Subs[0].Comp;
        var locals = (uint)(f0Type.Params.Length + f0.Locals.Length);
        yield return new("Instr_ok/local.get", "unknown local", WithBody(m, 0, [new LocalGet(locals), Drop.I, .. f0.Body.Instrs]));
        // Instr_ok/br: the label exists (a function body has one, the function's own).
        yield return new("Instr_ok/br", "unknown label", WithBody(m, 0, [new Br(1), .. f0.Body.Instrs]));
        // Instr_ok/call: the function exists.
        yield return new("Instr_ok/call", "unknown function", WithBody(m, 0, [new Call(funcs), .. f0.Body.Instrs]));
        // Instrs_ok: a body leaves exactly its results (one value too many).
        yield return new("Expr_ok", "type mismatch", WithBody(m, 0, [.. f0.Body.Instrs, Const.I32(1)]));
        // Instr_ok/global.set: only mutable globals (an immutable one added at the end).
        var g = (uint)m.Globals.Length;
        yield return new("Instr_ok/global.set", "immutable global",
            WithBody(m with { Globals = m.Globals.Add(new Global(new GlobalType(Mut.Const, ValType.I32), new Expr([Const.I32(0)]))) }, 0,
                [Const.I32(1), new GlobalSet(g), .. f0.Body.Instrs]));
        // Instr_ok/load: the memory exists.
        yield return new("Instr_ok/load-val", "unknown memory", WithBody(m, 0, [Const.I32(0), new Load(NumType.I32, null, 1, new MemArg(2, 0)), Drop.I, .. f0.Body.Instrs]));
        // Instr_ok/load: the alignment is at most the natural one.
        yield return new("Instr_ok/load-val", "alignment must not be larger than natural", WithBody(m, 0, [Const.I32(0), new Load(NumType.I32, null, 0, new MemArg(3, 0)), Drop.I, .. f0.Body.Instrs]));
        // Instr_ok/binop: the operands have the operator's type.
        yield return new("Instr_ok/binop", "type mismatch", WithBody(m, 0, [Const.I32(1), new Const(NumType.I64, 1), new Binop(NumType.I32, BinOp.Add), Drop.I, .. f0.Body.Instrs]));
    }

    static Module WithBody(Module m, int func, ImmutableArray<Instr> body) =>
        m with { Funcs = m.Funcs.SetItem(func, m.Funcs[func] with { Body = new Expr(body) }) };
}
