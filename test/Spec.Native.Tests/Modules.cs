using System.Collections.Immutable;
using Spec.Execution;
using Spec.Syntax;
using Mem = Spec.Syntax.Mem;
using Store = Spec.Execution.Store;

namespace Spec.Native.Tests;

/// <summary>Builds small modules from Spec.Syntax records, for tests that run them on the interpreter and the JIT.</summary>
internal sealed class ModuleBuilder
{
    readonly List<TypeDef> types = [];
    readonly List<Func> funcs = [];
    readonly List<Mem> mems = [];
    readonly List<Data> datas = [];
    readonly List<Export> exports = [];

    /// <summary>A function of type <paramref name="ps"/> -> <paramref name="rs"/> (each with a type of its own), exported as <paramref name="export"/>.</summary>
    public uint Func(ValType[] ps, ValType[] rs, Instr[] body, string? export = null, params ValType[] locals)
    {
        types.Add(new TypeDef(new RecType([new SubType(true, [], new FuncType([.. ps], [.. rs]))])));
        funcs.Add(new Func((uint)types.Count - 1, [.. locals.Select(l => new Local(l))], new Expr([.. body])));
        var idx = (uint)funcs.Count - 1;
        if (export is not null) exports.Add(new Export(export, new ExternIdx(ExternKind.Func, idx)));
        return idx;
    }

    public uint Memory(ulong min, AddrType at = AddrType.I32)
    {
        mems.Add(new Mem(new MemType(at, new Limits(min, null))));
        return (uint)mems.Count - 1;
    }

    public void ActiveData(uint mem, long offset, byte[] bytes, AddrType at = AddrType.I32) =>
        datas.Add(new Data([.. bytes], new DataActive(mem, new Expr([at == AddrType.I64 ? Const.I64(offset) : Const.I32((int)offset)]))));

    public Module Build() => new([.. types], [], [], [], [.. mems], [], [.. funcs], [.. datas], [], null, [.. exports]);

    public ModuleInstance Instantiate(Store store) => Instantiation.Instantiate(store, Build(), Array.Empty<ExternVal>(), Features.All);

    public static IReadOnlyList<Value> Call(Store s, ModuleInstance m, string name, params Value[] args) =>
        Embedding.Invoke(s, (ExternVal.Func)m.Export(name)!, args);
}
