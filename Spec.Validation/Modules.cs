using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Validation;

// §3.5 Modules (spectec 2.4-validation.modules): Module_ok and the rules for each kind of module field.

/// <summary>moduletype ::= externtype* -> externtype*, closed: every type use is a canonical <see cref="DefType"/>.
/// <see cref="Types"/> are the module's own deftypes (C.TYPES), which instantiation allocates; the other index spaces
/// of the final context C (imports first, all types closed) are there for instantiation too.</summary>
public sealed record ModuleType(ImmutableArray<DefType> Types, ImmutableArray<ExternType> Imports, ImmutableArray<ExternType> Exports)
{
    public ImmutableArray<DefType> Funcs { get; init; } = [];
    public ImmutableArray<TableType> Tables { get; init; } = [];
    public ImmutableArray<MemType> Mems { get; init; } = [];
    public ImmutableArray<GlobalType> Globals { get; init; } = [];
    public ImmutableArray<DefType> Tags { get; init; } = [];
    public ImmutableArray<RefType> Elems { get; init; } = [];
}

/// <summary>Validation of modules: the entry point of this project.</summary>
public static partial class Validator
{
    /// <summary>When set, called on this thread with the name of every instruction rule checked (e.g. "Instr_ok/br_if"), for rule coverage.</summary>
    [ThreadStatic] public static Action<string>? Trace;

    /// <summary>Module_ok: checks <paramref name="m"/> and returns its type; throws <see cref="ValidationException"/> if invalid.</summary>
    public static ModuleType Validate(Module m) => Module_ok(m, Features.Default);

    static ModuleType Module_ok(Module m, Features features)
    {
        var C = new Context { Features = features };
        var check = new Checker(C, features);

        // Types_ok/empty, Types_ok/cons: each rec group rolled into deftypes, then checked with them in scope.
        var types = m.Types.OrEmpty();
        foreach (var type in types) Type_ok(C, type);

        // Import_ok, under {TYPES dt'*}: imports come first in their index spaces.
        var imports = ImmutableArray.CreateBuilder<ExternType>();
        var k = 0;
        foreach (var import in m.Imports.OrEmpty())
        {
            C.At($"import {k++}", "Import_ok");
            var xt = TypeRules.Externtype_ok(C, import.Type);
            imports.Add(xt);
            switch (xt)
            {
                case TagExtern(DefType dt): C.Tags.Add(dt); break;
                case GlobalExtern(var gt): C.Globals.Add(gt); break;
                case MemExtern(var mt): C.Mems.Add(mt); break;
                case TableExtern(var tt): C.Tables.Add(tt); break;
                case FuncExtern(DefType dt, var exact): C.Funcs.Add(dt); C.FuncsExact.Add(exact); break;
            }
        }

        // C' = {TYPES, GLOBALS gt_I*, FUNCS dt_I* dt*, REFS x*}: every function's type, and the functions referenced outside code.
        var funcs = m.Funcs.OrEmpty();
        for (var i = 0; i < funcs.Length; i++)
        {
            C.At($"func {C.Funcs.Count}", "Func_ok");
            var dt = C.Type(funcs[i].TypeIdx);
            if (TypeRules.Expand(dt) is not FuncType) C.Fail($"type mismatch: type {funcs[i].TypeIdx} of function is not a function type");
            C.Funcs.Add(dt);
            C.FuncsExact.Add(true);
        }
        Refs(C, m);

        // Tag_ok
        foreach (var tag in m.Tags.OrEmpty())
        {
            C.At($"tag {C.Tags.Count}", "Tag_ok");
            C.Tags.Add(TypeRules.Tagtype_ok(C, tag.Type));
        }

        // Globals_ok/empty, Globals_ok/cons: each global sees the imported and the earlier globals.
        var importedGlobals = C.Globals.Count;
        foreach (var global in m.Globals.OrEmpty()) C.Globals.Add(Global_ok(C, check, global));
        var globals = C.Globals.GetRange(importedGlobals, C.Globals.Count - importedGlobals);

        // Mem_ok and Table_ok are under C', whose GLOBALS are the imported ones only.
        C.Globals.RemoveRange(importedGlobals, globals.Count);
        foreach (var mem in m.Mems.OrEmpty())
        {
            C.At($"memory {C.Mems.Count}", "Mem_ok");
            C.Mems.Add(TypeRules.Memtype_ok(C, mem.Type));
        }
        foreach (var table in m.Tables.OrEmpty()) C.Tables.Add(Table_ok(C, check, table));
        C.Globals.AddRange(globals);
        Features_ok(C, features);

        // C = C' ++ {DATAS ok*, ELEMS rt*}: segments are known to code by their types alone.
        C.Datas = m.Datas.OrEmpty().Length;
        var elems = m.Elems.OrEmpty();
        for (var i = 0; i < elems.Length; i++)
        {
            C.At($"elem {i}", "Elem_ok");
            C.Elems.Add(TypeRules.Reftype_ok(C, elems[i].Type));
        }

        // Func_ok
        var imported = C.Funcs.Count - funcs.Length;
        for (var i = 0; i < funcs.Length; i++) Func_ok(C, check, funcs[i], imported + i);

        // Data_ok, Elem_ok
        var datas = m.Datas.OrEmpty();
        for (var i = 0; i < datas.Length; i++) Data_ok(C, check, datas[i], i);
        for (var i = 0; i < elems.Length; i++) Elem_ok(C, check, elems[i], i);

        // Start_ok
        if (m.Start is { } start) Start_ok(C, start);

        // Export_ok, and the names disjoint.
        var exports = ImmutableArray.CreateBuilder<ExternType>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        k = 0;
        foreach (var export in m.Exports.OrEmpty())
        {
            C.At($"export {k++}", "Export_ok");
            exports.Add(Externidx_ok(C, export.Index));
            if (!names.Add(export.Name)) { C.Rule = "Module_ok"; C.Fail("duplicate export name"); }
        }

        return new ModuleType([.. C.Types], imports.ToImmutable(), exports.ToImmutable())
        {
            Funcs = [.. C.Funcs], Tables = [.. C.Tables], Mems = [.. C.Mems], Globals = [.. C.Globals], Tags = [.. C.Tags], Elems = [.. C.Elems],
        };
    }

    // Type_ok: C |- TYPE rectype : deftype*, with x = |C.TYPES| and the group's own deftypes in scope.
    static void Type_ok(Context C, TypeDef type)
    {
        var x0 = C.Types.Count;
        C.At($"type {x0}", "Type_ok");
        var rec = type.Rec;
        TypeRules.Descriptors_ok(C, rec, x0);
        C.Types.AddRange(TypeRules.RollDefTypes(C, rec, x0));
        TypeRules.Rectype_ok(C, rec, x0);
    }

    // Global_ok: the type well-formed, the initialiser a constant expression of that type.
    static GlobalType Global_ok(Context C, Checker check, Global global)
    {
        C.At($"global {C.Globals.Count}", "Global_ok");
        var gt = TypeRules.Globaltype_ok(C, global.Type);
        check.Expr_ok_const(global.Init, gt.Type);
        return gt;
    }

    // Table_ok: the type well-formed, the initialiser a constant expression of its element type.
    static TableType Table_ok(Context C, Checker check, Table table)
    {
        C.At($"table {C.Tables.Count}", "Table_ok");
        var tt = TypeRules.Tabletype_ok(C, table.Type);
        check.Expr_ok_const(table.Init, tt.ElemType);
        return tt;
    }

    // Func_ok: the body checked with locals (params SET, declared locals per Local_ok), label and return t_2*.
    static void Func_ok(Context C, Checker check, Func func, int index)
    {
        C.At($"func {index}", "Func_ok");
        var ft = (FuncType)TypeRules.Expand(C.Funcs[index]);
        var locals = func.Locals.OrEmpty();
        var all = new LocalType[ft.Params.Length + locals.Length];
        for (var i = 0; i < ft.Params.Length; i++) all[i] = new LocalType(ft.Params[i], true);
        for (var i = 0; i < locals.Length; i++)
        {
            // Local_ok/set, Local_ok/unset: a local without a default value starts unset.
            var t = locals[i].Type;
            C.Rule = TypeRules.Defaultable(t) ? "Local_ok/set" : "Local_ok/unset";
            t = TypeRules.Valtype_ok(C, t);
            all[ft.Params.Length + i] = new LocalType(t, TypeRules.Defaultable(t));
        }
        C.Locals = all;
        C.Return = ft.Results;
        C.FuncIndex = index;
        check.Expr_ok(func.Body, ft.Results);
        C.Locals = [];
        C.Return = null;
        C.FuncIndex = null;
    }

    // Data_ok with Datamode_ok/passive (nothing to check) and Datamode_ok/active
    static void Data_ok(Context C, Checker check, Data data, int i)
    {
        C.At($"data {i}", "Data_ok");
        if (data.Mode is DataActive(var x, var offset))
        {
            C.At($"data {i}", "Datamode_ok/active");
            var mt = C.Mem(x);
            check.Expr_ok_const(offset, ValType.Of(mt.AddrType));
        }
    }

    // Elem_ok with Elemmode_ok/passive, Elemmode_ok/declare (nothing to check) and Elemmode_ok/active
    static void Elem_ok(Context C, Checker check, Elem elem, int i)
    {
        C.At($"elem {i}", "Elem_ok");
        var rt = C.Elems[i];
        foreach (var init in elem.Inits.OrEmpty())
        {
            check.Expr_ok_const(init, rt);
            C.Rule = "Elem_ok";
        }
        if (elem.Mode is ElemActive(var x, var offset))
        {
            C.At($"elem {i}", "Elemmode_ok/active");
            var tt = C.Table(x);
            if (!Subtyping.Reftype_sub(rt, tt.ElemType)) C.Fail($"type mismatch: elem segment of {rt} for table of {tt.ElemType}");
            check.Expr_ok_const(offset, ValType.Of(tt.AddrType));
        }
    }

    // Start_ok: the start function has type [] -> []
    static void Start_ok(Context C, Start start)
    {
        C.At("start", "Start_ok");
        var ft = (FuncType)TypeRules.Expand(C.Func(start.Func));
        if (ft.Params.Length != 0 || ft.Results.Length != 0) C.Fail("start function must have type [] -> []");
    }

    // Externidx_ok/tag, Externidx_ok/global, Externidx_ok/mem, Externidx_ok/table, Externidx_ok/func (exact as C.FUNCS has it)
    static ExternType Externidx_ok(Context C, ExternIdx x) => x.Kind switch
    {
        ExternKind.Func => new FuncExtern(C.Func(x.Index), C.FuncsExact[(int)x.Index]),
        ExternKind.Table => new TableExtern(C.Table(x.Index)),
        ExternKind.Mem => new MemExtern(C.Mem(x.Index)),
        ExternKind.Global => new GlobalExtern(C.Global(x.Index)),
        _ => new TagExtern(C.Tag(x.Index)),
    };

    // $funcidx_nonfuncs(global* mem* table* elem* export*): the functions that code may take a reference to.
    static void Refs(Context C, Module m)
    {
        void Scan(Expr e)
        {
            foreach (var instr in e.Instrs.OrEmpty()) if (instr is RefFunc f) C.Refs.Add(f.Func);
        }
        foreach (var g in m.Globals.OrEmpty()) Scan(g.Init);
        foreach (var t in m.Tables.OrEmpty()) Scan(t.Init);
        foreach (var e in m.Elems.OrEmpty())
        {
            foreach (var init in e.Inits.OrEmpty()) Scan(init);
            if (e.Mode is ElemActive a) Scan(a.Offset);
        }
        foreach (var x in m.Exports.OrEmpty()) if (x.Index.Kind == ExternKind.Func) C.Refs.Add(x.Index.Index);
    }
}
