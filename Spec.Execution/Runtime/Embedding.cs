using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Execution;

// Appendix A.1 Embedding: the whole interface an embedder (the WAST runner, WASI, tests) needs.
//
//   var store = new Store();                                        // store_init: the interpreter; new Store(engine, policy)
//   var inst  = Instantiation.Instantiate(store, module, imports);   // module_instantiate; imports in Module.Imports order
//   var f     = inst.Export("main");                                 // instance_export -> ExternVal?
//   var res   = Embedding.Invoke(store, (ExternVal.Func)f!, [Value.I32(1)]);   // func_invoke, on the store's engine
//   Embedding.ReadMemory / WriteMemory / GetGlobal / SetGlobal / GetTable / SetTable / GrowMemory / GrowTable
//   Embedding.AllocFunc(store, funcType, args => [...])              // func_alloc: a host function
//   Embedding.AllocTable / AllocMem / AllocGlobal / AllocTag          // host-made externals (e.g. "spectest")
//   Embedding.ExternRef(n)                                          // (ref.extern n) = REF.EXTERN (REF.HOST_ADDR n)
//   WasmThread.Start(module, imports, "work", args)                 // an instance in a store of its own, run on a new thread
//
// Errors: LinkException, TrapException, ExhaustionException, UncaughtWasmException (a Wasm exception reached
// the host: assert_exception), HostException (a host function threw; InnerException is its exception).
// Host-made types are closed: their reference types use abstract heap types or DefTypes, never indices.

public static class Embedding
{
    static readonly ModuleInstance HostModule = new();

    /// <summary>A closed deftype for a host function or tag type: a singleton rec group.</summary>
    public static DefType DefTypeOf(FuncType type) => Types.DefTypeOf(type);

    /// <summary>func_alloc: a host function of <paramref name="type"/>.</summary>
    public static FuncInst AllocFunc(Store store, FuncType type, HostFunc code)
    {
        var f = new FuncInst(DefTypeOf(type), HostModule, null, code);
        store.funcs.Add(f);
        return f;
    }

    /// <summary>
    /// func_invoke: calls <paramref name="func"/> with <paramref name="args"/> on the store's engine. Throws ArgumentException
    /// if the arguments do not match the function's parameter types (Val_ok); a trap, exhaustion, uncaught exception or
    /// failed host function as the typed errors above.
    /// </summary>
    public static IReadOnlyList<Value> Invoke(Store store, FuncInst func, IReadOnlyList<Value> args)
    {
        var ft = func.FuncType;
        if (args.Count != ft.Params.Length) throw new ArgumentException($"expected {ft.Params.Length} arguments, got {args.Count}");
        for (int k = 0; k < args.Count; k++)
            if (!Types.ValMatches(args[k], ft.Params[k])) throw new ArgumentException($"argument {k} is not of type {ft.Params[k]}");
        return store.Engine.Invoke(store, func, args);
    }

    /// <summary>func_invoke of an exported function.</summary>
    public static IReadOnlyList<Value> Invoke(Store store, ExternVal.Func func, IReadOnlyList<Value> args) => Invoke(store, func.Inst, args);

    /// <summary>table_alloc: a table of <paramref name="type"/> filled with <paramref name="init"/>.</summary>
    public static TableInst AllocTable(Store store, TableType type, Ref? init = null)
    {
        var t = new TableInst(type, init, store.Claims);
        store.tables.Add(t);
        return t;
    }

    /// <summary>mem_alloc</summary>
    public static MemInst AllocMem(Store store, MemType type)
    {
        var m = new MemInst(type, store.Policy.Memory64ReservationCap, store.Claims);
        store.mems.Add(m);
        return m;
    }

    /// <summary>global_alloc</summary>
    public static GlobalInst AllocGlobal(Store store, GlobalType type, Value value)
    {
        if (!Types.ValMatches(value, type.Type)) throw new ArgumentException($"value is not of type {type.Type}");
        var g = new GlobalInst(type, value);
        store.globals.Add(g);
        return g;
    }

    /// <summary>tag_alloc</summary>
    public static TagInst AllocTag(Store store, FuncType type)
    {
        var t = new TagInst(DefTypeOf(type));
        store.tags.Add(t);
        return t;
    }

    /// <summary>REF.EXTERN (REF.HOST_ADDR n): the testsuite's (ref.extern n).</summary>
    public static Ref ExternRef(ulong n) => new ExternRef(new HostRef(n));

    /// <summary>mem_read: a copy of <paramref name="length"/> bytes at <paramref name="offset"/> ("out of bounds memory access" if outside).</summary>
    public static byte[] ReadMemory(MemInst mem, ulong offset, int length) => mem.Span(offset, length).ToArray();

    /// <summary>mem_write</summary>
    public static void WriteMemory(MemInst mem, ulong offset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(mem.Span(offset, bytes.Length));

    /// <summary>mem_grow: the old size in pages, or null if the memory cannot grow.</summary>
    public static ulong? GrowMemory(MemInst mem, ulong pages) => mem.Grow(pages);

    /// <summary>global_read</summary>
    public static Value GetGlobal(GlobalInst g) => g.Value;

    /// <summary>global_write: only mutable globals, only values of the global's type.</summary>
    public static void SetGlobal(GlobalInst g, Value v)
    {
        if (g.Type.Mut != Mut.Var) throw new ArgumentException("global is immutable");
        if (!Types.ValMatches(v, g.Type.Type)) throw new ArgumentException($"value is not of type {g.Type.Type}");
        g.Value = v;
    }

    /// <summary>table_read ("out of bounds table access" if outside).</summary>
    public static Ref? GetTable(TableInst t, ulong i) => t[i];

    /// <summary>table_write</summary>
    public static void SetTable(TableInst t, ulong i, Ref? r)
    {
        if (!Types.RefMatches(r, t.Type.ElemType)) throw new ArgumentException($"reference is not of type {t.Type.ElemType}");
        t[i] = r;
    }

    /// <summary>table_grow: the old size, or null if the table cannot grow.</summary>
    public static ulong? GrowTable(Store store, TableInst t, ulong n, Ref? init = null)
    {
        var old = t.Size;
        return t.Grow(n, init) ? old : null;
    }

    /// <summary>func_type: the function's type.</summary>
    public static FuncType TypeOf(FuncInst f) => f.FuncType;

    /// <summary>All exports of an instance, in order.</summary>
    public static ImmutableArray<ExportInst> Exports(ModuleInstance m) => m.Exports;
}
