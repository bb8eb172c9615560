using Spec.Execution.Reduction;
using Spec.Syntax;
using Spec.Validation;

namespace Spec.Execution;

// §4.5.4 Instantiation (spectec 4.4-execution.modules: $instantiate, $allocmodule, $evalglobals,
// $runelem_, $rundata_). The module is validated first (a ValidationException if it is not valid). The steps run in the spec's order: match the
// imports, allocate (evaluating global, table and element initialisers), then the active element
// segments, the active data segments, and the start function. A trap in those last steps leaves the
// store changed, as the spec says. Constant expressions are evaluated by the interpreter whatever the
// store's engine; the store's engine gets the instance before any of its code runs, and runs the start function.

public static class Instantiation
{
    /// <summary>
    /// $instantiate(s, module, externaddr*): <paramref name="imports"/> are in the order of <c>module.Imports</c>;
    /// the module is validated as <paramref name="features"/> say (Wasm 3.0 by default).
    /// Throws LinkException ("unknown import", "incompatible import type"), TrapException, ExhaustionException.
    /// </summary>
    public static ModuleInstance Instantiate(Store store, Module module, IReadOnlyList<ExternVal> imports, Features? features = null)
    {
        var m = Allocate(store, module, imports, features);
        try
        {
            // The effect of instr_E* instr_D* (CALL x)? run in the instance's frame (InitInstructions), done directly.
            for (int x = 0; x < module.Elems.Length; x++) RunElem(store, m, x, module.Elems[x]);
            for (int x = 0; x < module.Datas.Length; x++) RunData(store, m, x, module.Datas[x]);
            if (module.Start is { } start) store.Engine.Invoke(store, m.funcs[(int)start.Func], []);
        }
        catch (TrapException t) when (t.Phase != Phase.Instantiate)
        {
            throw new TrapException(t, Phase.Instantiate);
        }
        return m;
    }

    /// <summary>
    /// $instantiate as the spec writes it, for stepping through: the instance allocated (its imports matched, its
    /// initialisers evaluated) and the configuration's instructions left to run in its frame, $runelem_ and $rundata_
    /// of each segment and the start function's (CALL x). Running them is what <see cref="Instantiate"/> does at once.
    /// </summary>
    public static (ModuleInstance Instance, IReadOnlyList<Instr> Instrs) InstantiateToConfiguration(Store store, Module module,
        IReadOnlyList<ExternVal> imports, Features? features = null) =>
        (Allocate(store, module, imports, features), InitInstructions(module));

    /// <summary>instr_E* instr_D* instr_S?: $runelem_(x, elem)*, $rundata_(x, data)*, (CALL x)? of the start function.</summary>
    static List<Instr> InitInstructions(Module module)
    {
        var instrs = new List<Instr>();
        for (int x = 0; x < module.Elems.Length; x++)
        {
            var e = module.Elems[x];
            switch (e.Mode)
            {
                // instr* (CONST I32 0) (CONST I32 n) (TABLE.INIT y x) (ELEM.DROP x)
                case ElemActive a:
                    instrs.AddRange(a.Offset.Instrs);
                    instrs.AddRange([Const.I32(0), Const.I32(e.Inits.Length), new TableInit(a.Table, (uint)x), new ElemDrop((uint)x)]);
                    break;
                case ElemDeclare: instrs.Add(new ElemDrop((uint)x)); break;
            }
        }
        for (int x = 0; x < module.Datas.Length; x++)
        {
            // instr* (CONST I32 0) (CONST I32 n) (MEMORY.INIT y x) (DATA.DROP x)
            if (module.Datas[x].Mode is not DataActive a) continue;
            instrs.AddRange(a.Offset.Instrs);
            instrs.AddRange([Const.I32(0), Const.I32(module.Datas[x].Init.Length), new MemoryInit(a.Mem, (uint)x), new DataDrop((uint)x)]);
        }
        if (module.Start is { } start) instrs.Add(new Call(start.Func));
        return instrs;
    }

    /// <summary>Everything of $instantiate before its configuration runs: imports matched, the instance allocated.</summary>
    static ModuleInstance Allocate(Store store, Module module, IReadOnlyList<ExternVal> imports, Features? features)
    {
        // Module_ok: |- module : xt_I* -> xt_E*, whose deftypes are the canonical $alloctypes(type*).
        var mt = Validator.Validate(module, features ?? Features.Default);
        if (imports.Count != module.Imports.Length) throw new LinkException("unknown import");
        store.Claims.Instance();
        var m = new ModuleInstance
        {
            Types = [.. mt.Types], Comps = [.. mt.Types.Select(Types.Expand)], TypeIds = [.. mt.Types.Select(TypeIds.Of)],
        };

        // Externaddr_ok against the import's (closed) type.
        for (int k = 0; k < imports.Count; k++)
        {
            var want = mt.Imports[k];
            if (!Types.ExternSub(TypeOf(imports[k]), want))
                throw new LinkException("incompatible import type", $"import {k} \"{module.Imports[k].Module}\" \"{module.Imports[k].Name}\"");
            switch (imports[k])
            {
                case ExternVal.Func f: m.funcs.Add(f.Inst); break;
                case ExternVal.Table t: m.tables.Add(t.Inst); break;
                case ExternVal.Mem mm: m.mems.Add(mm.Inst); break;
                case ExternVal.Global g: m.globals.Add(g.Inst); break;
                case ExternVal.Tag t: m.tags.Add(t.Inst); break;
            }
        }

        // $allocfuncs: addresses exist before the initialisers run, so ref.func can name them.
        foreach (var f in module.Funcs)
        {
            var fi = new FuncInst(m.Types[f.TypeIdx], m, f, null);
            store.funcs.Add(fi);
            m.funcs.Add(fi);
        }
        foreach (var t in module.Tags)
        {
            var ti = new TagInst((DefType)Types.Inst(t.Type, m.Types));
            store.tags.Add(ti);
            m.tags.Add(ti);
        }
        // $evalglobals: each initialiser sees the globals before it.
        foreach (var g in module.Globals)
        {
            var gi = new GlobalInst(Types.Inst(g.Type, m.Types), Interpreter.Eval(store, m, g.Init));
            store.globals.Add(gi);
            m.globals.Add(gi);
        }
        foreach (var mem in module.Mems)
        {
            var mi = new MemInst(mem.Type, store.Policy.Memory64ReservationCap, store.Claims);
            store.mems.Add(mi);
            m.mems.Add(mi);
        }
        foreach (var t in module.Tables)
        {
            var tt = Types.Inst(t.Type, m.Types);
            var ti = new TableInst(tt, Interpreter.Eval(store, m, t.Init).Ref, store.Claims);
            store.tables.Add(ti);
            m.tables.Add(ti);
        }
        foreach (var d in module.Datas)
        {
            var di = new DataInst([.. d.Init]);
            store.datas.Add(di);
            m.datas.Add(di);
        }
        foreach (var e in module.Elems)
        {
            var refs = e.Inits.Select(x => Interpreter.Eval(store, m, x).Ref).ToArray();
            var ei = new ElemInst(Types.Inst(e.Type, m.Types), refs);
            store.elems.Add(ei);
            m.elems.Add(ei);
        }
        m.Exports = [.. module.Exports.Select(x => new ExportInst(x.Name, x.Index.Kind switch
        {
            ExternKind.Func => new ExternVal.Func(m.funcs[(int)x.Index.Index]),
            ExternKind.Table => new ExternVal.Table(m.tables[(int)x.Index.Index]),
            ExternKind.Mem => new ExternVal.Mem(m.mems[(int)x.Index.Index]),
            ExternKind.Global => new ExternVal.Global(m.globals[(int)x.Index.Index]),
            _ => (ExternVal)new ExternVal.Tag(m.tags[(int)x.Index.Index]),
        }))];

        store.Engine.Instantiated(store, m);
        return m;
    }

    /// <summary>Instantiates with imports looked up by (module, name); a missing one is "unknown import".</summary>
    public static ModuleInstance Instantiate(Store store, Module module, Func<string, string, ExternVal?> resolve, Features? features = null)
    {
        var imports = module.Imports.Select(i => resolve(i.Module, i.Name)
            ?? throw new LinkException("unknown import", $"\"{i.Module}\" \"{i.Name}\"")).ToList();
        return Instantiate(store, module, imports, features);
    }

    /// <summary>$runelem_: active segments are copied by table.init then dropped; declarative ones are dropped.</summary>
    static void RunElem(Store store, ModuleInstance m, int x, Elem e)
    {
        switch (e.Mode)
        {
            case ElemActive a:
            {
                var table = m.tables[(int)a.Table];
                var offset = Interpreter.Eval(store, m, a.Offset);
                ulong d = table.Type.AddrType == AddrType.I32 ? offset.AsU32 : offset.Bits;
                var refs = m.elems[x].Refs;
                if ((ulong)refs.Length > table.Size || d > table.Size - (ulong)refs.Length)
                    throw new TrapException(TrapCode.OutOfBoundsTableAccess); // Step_read/table.init-oob
                table.Init(d, refs, 0, (ulong)refs.Length);
                m.elems[x].Refs = [];
                break;
            }
            case ElemDeclare:
                m.elems[x].Refs = [];
                break;
        }
    }

    /// <summary>$rundata_: active segments are copied by memory.init then dropped.</summary>
    static void RunData(Store store, ModuleInstance m, int x, Data d)
    {
        if (d.Mode is not DataActive a) return;
        var mem = m.mems[(int)a.Mem];
        var offset = Interpreter.Eval(store, m, a.Offset);
        ulong at = mem.Type.AddrType == AddrType.I32 ? offset.AsU32 : offset.Bits;
        var bytes = m.datas[x].Bytes;
        if (!mem.InBounds(at, (ulong)bytes.Length)) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess); // Step_read/memory.init-oob
        mem.Init(at, bytes, 0, (ulong)bytes.Length);
        m.datas[x].Bytes = [];
    }

    /// <summary>Externaddr_ok: the type of an external value; a function's is exactly its own type (Externaddr_ok/func).</summary>
    public static ExternType TypeOf(ExternVal v) => v switch
    {
        ExternVal.Func f => new FuncExtern(f.Inst.Type, Exact: true),
        ExternVal.Table t => new TableExtern(t.Inst.Type),
        ExternVal.Mem mm => new MemExtern(mm.Inst.Type),
        ExternVal.Global g => new GlobalExtern(g.Inst.Type),
        ExternVal.Tag t => new TagExtern(t.Inst.Type),
        _ => throw new ArgumentException("unknown external value"),
    };
}
