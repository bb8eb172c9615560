using System.Collections.Immutable;
using Spec.Execution;
using Spec.Syntax;

namespace Spec.Execution.Tests;

/// <summary>Builds small modules from Spec.Syntax records for the execution tests.</summary>
internal sealed class ModuleBuilder
{
    readonly List<TypeDef> types = [];
    readonly List<Import> imports = [];
    readonly List<Func> funcs = [];
    readonly List<Global> globals = [];
    readonly List<Mem> mems = [];
    readonly List<Table> tables = [];
    readonly List<Data> datas = [];
    readonly List<Elem> elems = [];
    readonly List<Tag> tags = [];
    readonly List<Export> exports = [];
    Start? start;
    int importedFuncs;

    public static FuncType Sig(ValType[] ps, ValType[] rs) => new([.. ps], [.. rs]);

    public uint Type(CompType c, bool final = true, params uint[] supers) =>
        AddRec(new SubType(final, [.. supers.Select(s => (TypeUse)new TypeIdx(s))], c));

    public uint AddRec(params SubType[] subs)
    {
        var at = (uint)types.Sum(t => t.Rec.Subs.Length);
        types.Add(new TypeDef(new RecType([.. subs])));
        return at;
    }

    public uint Func(FuncType sig, Instr[] body, string? export = null, params ValType[] locals) =>
        Func(Type(sig), body, export, locals);

    public uint Func(uint type, Instr[] body, string? export = null, params ValType[] locals)
    {
        funcs.Add(new Func(type, [.. locals.Select(l => new Local(l))], new Expr([.. body])));
        var idx = (uint)(importedFuncs + funcs.Count - 1);
        if (export is not null) exports.Add(new Export(export, new ExternIdx(ExternKind.Func, idx)));
        return idx;
    }

    public uint ImportFunc(string module, string name, FuncType sig)
    {
        imports.Add(new Import(module, name, new FuncExtern(new TypeIdx(Type(sig)))));
        return (uint)importedFuncs++;
    }

    /// <summary>An import of a function of type <paramref name="type"/>; <paramref name="exact"/> for an exact import.</summary>
    public uint ImportFunc(string module, string name, uint type, bool exact)
    {
        imports.Add(new Import(module, name, new FuncExtern(new TypeIdx(type), exact)));
        return (uint)importedFuncs++;
    }

    public void Import(string module, string name, ExternType type) => imports.Add(new Import(module, name, type));

    public uint Memory(ulong min, ulong? max = null, string? export = null, AddrType at = AddrType.I32, bool shared = false)
    {
        mems.Add(new Mem(new MemType(at, new Limits(min, max), shared)));
        var idx = (uint)mems.Count - 1;
        if (export is not null) exports.Add(new Export(export, new ExternIdx(ExternKind.Mem, idx)));
        return idx;
    }

    public uint Table(ulong min, ulong? max = null, RefType? type = null, string? export = null)
    {
        var rt = type ?? RefType.FuncRef;
        tables.Add(new Table(new TableType(AddrType.I32, new Limits(min, max), rt), new Expr([new RefNull(rt.Heap)])));
        var idx = (uint)tables.Count - 1;
        if (export is not null) exports.Add(new Export(export, new ExternIdx(ExternKind.Table, idx)));
        return idx;
    }

    public uint Global(GlobalType type, Instr[] init, string? export = null)
    {
        globals.Add(new Global(type, new Expr([.. init])));
        var idx = (uint)(imports.Count(i => i.Type is GlobalExtern) + globals.Count - 1);
        if (export is not null) exports.Add(new Export(export, new ExternIdx(ExternKind.Global, idx)));
        return idx;
    }

    public uint Tag(FuncType sig, string? export = null)
    {
        tags.Add(new Tag(new TypeIdx(Type(sig))));
        var idx = (uint)(imports.Count(i => i.Type is TagExtern) + tags.Count - 1);
        if (export is not null) exports.Add(new Export(export, new ExternIdx(ExternKind.Tag, idx)));
        return idx;
    }

    public void ActiveData(uint mem, int offset, params byte[] bytes) =>
        datas.Add(new Data([.. bytes], new DataActive(mem, new Expr([Const.I32(offset)]))));

    public void PassiveData(params byte[] bytes) => datas.Add(new Data([.. bytes], DataPassive.I));

    public void ActiveElem(uint table, int offset, params uint[] funcIdx) =>
        elems.Add(new Elem(RefType.FuncRef, [.. funcIdx.Select(f => new Expr([new RefFunc(f)]))],
            new ElemActive(table, new Expr([Const.I32(offset)]))));

    public void DeclareElem(params uint[] funcIdx) =>
        elems.Add(new Elem(RefType.FuncRef, [.. funcIdx.Select(f => new Expr([new RefFunc(f)]))], ElemDeclare.I));

    public void SetStart(uint f) => start = new Start(f);

    public Module Build() => new([.. types], [.. imports], [.. tags], [.. globals], [.. mems], [.. tables], [.. funcs],
        [.. datas], [.. elems], start, [.. exports]);

    public ModuleInstance Instantiate(Store store, params ExternVal[] imports) =>
        Instantiation.Instantiate(store, Build(), imports, Features.All);
}

internal static class I
{
    public static readonly NumValType I32 = ValType.I32, I64 = ValType.I64, F32 = ValType.F32, F64 = ValType.F64;
    public static Instr C32(int v) => Const.I32(v);
    public static Instr C64(long v) => Const.I64(v);
    public static Instr Get(uint i) => new LocalGet(i);
    public static Instr Set(uint i) => new LocalSet(i);
    public static Instr Tee(uint i) => new LocalTee(i);
    public static Instr Add32 => new Binop(NumType.I32, BinOp.Add);
    public static Instr Sub32 => new Binop(NumType.I32, BinOp.Sub);
    public static Instr Mul64 => new Binop(NumType.I64, BinOp.Mul);
    public static Instr Sub64 => new Binop(NumType.I64, BinOp.Sub);
    public static Instr Eqz32 => new Testop(NumType.I32, TestOp.Eqz);
    public static Instr Eqz64 => new Testop(NumType.I64, TestOp.Eqz);
    public static BlockType Res(ValType? t = null) => new ValBlockType(t);
    public static Instr Block(BlockType bt, params Instr[] body) => new Block(bt, [.. body]);
    public static Instr Loop(BlockType bt, params Instr[] body) => new Loop(bt, [.. body]);
    public static Instr If(BlockType bt, Instr[] then, Instr[]? els = null) => new If(bt, [.. then], [.. els ?? []]);

    public static IReadOnlyList<Value> Call(Store s, ModuleInstance m, string name, params Value[] args) =>
        Embedding.Invoke(s, (ExternVal.Func)m.Export(name)!, args);
}
