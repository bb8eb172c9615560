using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.3-4.2.14 The store and its instances (spectec 4.0-execution.configurations: store, *inst).
// Addresses are object identities: an instance object is its own address, so no store list is needed
// to look one up. The store still lists what allocation adds to it (funcs, tables, mems, globals, tags,
// elems, datas); structs, arrays and exceptions are reachable only through references so the .NET
// collector can reclaim them.

/// <summary>store: everything allocated by instantiation and by host allocation.</summary>
public sealed class Store
{
    public IReadOnlyList<FuncInst> Funcs => funcs;
    internal readonly List<FuncInst> funcs = [];
    public IReadOnlyList<TableInst> Tables => tables;
    internal readonly List<TableInst> tables = [];
    public IReadOnlyList<MemInst> Mems => mems;
    internal readonly List<MemInst> mems = [];
    public IReadOnlyList<GlobalInst> Globals => globals;
    internal readonly List<GlobalInst> globals = [];
    public IReadOnlyList<TagInst> Tags => tags;
    internal readonly List<TagInst> tags = [];
    public IReadOnlyList<ElemInst> Elems => elems;
    internal readonly List<ElemInst> elems = [];
    public IReadOnlyList<DataInst> Datas => datas;
    internal readonly List<DataInst> datas = [];

    /// <summary>How many Wasm frames one invocation may nest before "call stack exhausted".</summary>
    public int MaxCallDepth { get; set; } = 100_000;

    /// <summary>How many bytes a memory64 may reserve (and so grow to); beyond it memory.grow returns -1.</summary>
    public ulong Memory64ReservationCap { get; set; } = 1UL << 33;

    /// <summary>Steps an invocation may take before it stops with "fuel exhausted"; null is unlimited.</summary>
    public long? Fuel { get; set; }

    /// <summary>When set, called with the SpecTec name of every rule the interpreter applies (rule coverage, tracing).</summary>
    public Action<string>? Trace { get; set; } = DefaultTrace;

    /// <summary>The <see cref="Trace"/> every store made on this thread starts with: lets a runner observe stores it does not create.</summary>
    [ThreadStatic] public static Action<string>? DefaultTrace;

    /// <summary>The most elements a table may hold; growing beyond fails (returns -1).</summary>
    public ulong MaxTableSize { get; set; } = 10_000_000;
}

/// <summary>externaddr ::= TAG tagaddr | GLOBAL globaladdr | MEM memaddr | TABLE tableaddr | FUNC funcaddr</summary>
public abstract record ExternVal
{
    public sealed record Func(FuncInst Inst) : ExternVal;
    public sealed record Table(TableInst Inst) : ExternVal;
    public sealed record Mem(MemInst Inst) : ExternVal;
    public sealed record Global(GlobalInst Inst) : ExternVal;
    public sealed record Tag(TagInst Inst) : ExternVal;

    public ExternKind Kind => this switch
    {
        Func => ExternKind.Func, Table => ExternKind.Table, Mem => ExternKind.Mem, Global => ExternKind.Global, _ => ExternKind.Tag,
    };
}

/// <summary>A host function: receives the arguments, returns the results (of the function type's arity).</summary>
public delegate IReadOnlyList<Value> HostFunc(IReadOnlyList<Value> args);

/// <summary>funcinst ::= { TYPE deftype, MODULE moduleinst, CODE funccode }. Also REF.FUNC_ADDR of itself.</summary>
public sealed class FuncInst : Ref
{
    public DefType Type { get; }
    public ModuleInstance Module { get; }
    /// <summary>The function's code in the module, or null for a host function.</summary>
    public Syntax.Func? Code { get; }
    public HostFunc? Host { get; }
    internal FuncType FuncType { get; }
    internal Compiled.Body? Body;

    internal FuncInst(DefType type, ModuleInstance module, Syntax.Func? code, HostFunc? host)
    {
        Type = type; Module = module; Code = code; Host = host;
        FuncType = Types.Expand(type) as FuncType ?? throw new ArgumentException("not a function type", nameof(type));
    }

    public override string ToString() => "ref.func";
}

/// <summary>taginst ::= { TYPE tagtype }</summary>
public sealed class TagInst(DefType type)
{
    public DefType Type { get; } = type;
    internal FuncType FuncType { get; } = (FuncType)Types.Expand(type);
}

/// <summary>globalinst ::= { TYPE globaltype, VALUE val }</summary>
public sealed class GlobalInst(GlobalType type, Value value)
{
    public GlobalType Type { get; } = type;
    public Value Value { get; set; } = value;
}

/// <summary>tableinst ::= { TYPE tabletype, REFS ref* }. The type's minimum is the current size.</summary>
public sealed class TableInst
{
    public TableType Type { get; private set; }
    internal Ref?[] Elems;
    public ulong Size => Type.Limits.Min;

    internal TableInst(TableType type, Ref? init)
    {
        Type = type;
        Elems = new Ref?[checked((int)type.Limits.Min)];
        if (init is not null) Array.Fill(Elems, init);
    }

    public Ref? this[ulong i]
    {
        get => i < Size ? Elems[i] : throw new TrapException("out of bounds table access");
        set { if (i < Size) Elems[i] = value; else throw new TrapException("out of bounds table access"); }
    }

    /// <summary>$growtable: false when the new size exceeds the maximum, the address space or <paramref name="cap"/>.</summary>
    internal bool Grow(ulong n, Ref? init, ulong cap)
    {
        var old = Size;
        var limit = Math.Min(Type.Limits.Max ?? ulong.MaxValue, Type.AddrType == AddrType.I32 ? uint.MaxValue : ulong.MaxValue);
        if (n > limit - old || old + n > cap) return false;
        var size = old + n;
        if (size > (ulong)Elems.Length) Array.Resize(ref Elems, (int)Math.Min(Math.Max(size, (ulong)Elems.Length * 2), cap));
        Array.Fill(Elems, init, (int)old, (int)n);
        Type = Type with { Limits = Type.Limits with { Min = size } };
        return true;
    }
}

/// <summary>eleminst ::= { TYPE elemtype, REFS ref* }</summary>
public sealed class ElemInst(RefType type, Ref?[] refs)
{
    public RefType Type { get; } = type;
    internal Ref?[] Refs = refs;
}

/// <summary>datainst ::= { BYTES byte* }</summary>
public sealed class DataInst(byte[] bytes)
{
    internal byte[] Bytes = bytes;
}

/// <summary>exportinst ::= { NAME name, ADDR externaddr }</summary>
public sealed record ExportInst(string Name, ExternVal Value);

/// <summary>moduleinst ::= { TYPES deftype*, TAGS, GLOBALS, MEMS, TABLES, FUNCS, DATAS, ELEMS, EXPORTS }</summary>
public sealed class ModuleInstance
{
    public DefType[] Types { get; internal set; } = [];
    /// <summary>$expanddt of each of <see cref="Types"/>, computed once for the aggregate instructions.</summary>
    internal CompType[] Comps = [];
    public IReadOnlyList<TagInst> Tags => tags;
    internal readonly List<TagInst> tags = [];
    public IReadOnlyList<GlobalInst> Globals => globals;
    internal readonly List<GlobalInst> globals = [];
    public IReadOnlyList<MemInst> Mems => mems;
    internal readonly List<MemInst> mems = [];
    public IReadOnlyList<TableInst> Tables => tables;
    internal readonly List<TableInst> tables = [];
    public IReadOnlyList<FuncInst> Funcs => funcs;
    internal readonly List<FuncInst> funcs = [];
    public IReadOnlyList<DataInst> Datas => datas;
    internal readonly List<DataInst> datas = [];
    public IReadOnlyList<ElemInst> Elems => elems;
    internal readonly List<ElemInst> elems = [];
    public ImmutableArray<ExportInst> Exports { get; internal set; } = [];

    /// <summary>The export named <paramref name="name"/>, or null.</summary>
    public ExternVal? Export(string name)
    {
        foreach (var e in Exports) if (e.Name == name) return e.Value;
        return null;
    }
}

/// <summary>
/// structinst ::= { TYPE deftype, DESC ref?, FIELDS fieldval* }; DESC is the custom descriptor (custom descriptors
/// proposal), present exactly when the type has a descriptor clause. packval ::= PACK packtype iN, stored as the
/// wrapped i32; fieldval ::= val | packval.
/// </summary>
public sealed class StructInst : Ref
{
    // Only allocation makes structs, so that a type with a descriptor clause always has its descriptor.
    internal StructInst(DefType type, Value[] fields, Ref? descriptor = null)
    {
        Type = type;
        Fields = fields;
        Descriptor = descriptor;
    }

    public DefType Type { get; }
    /// <summary>The custom descriptor given at allocation (never null for a type with a descriptor clause), else null.</summary>
    public Ref? Descriptor { get; }
    internal readonly Value[] Fields;
    public IReadOnlyList<Value> FieldValues => Fields;
    public override string ToString() => "ref.struct";
}

/// <summary>arrayinst ::= { TYPE deftype, FIELDS fieldval* }</summary>
public sealed class ArrayInst(DefType type, Value[] fields) : Ref
{
    public DefType Type { get; } = type;
    internal readonly Value[] Fields = fields;
    public IReadOnlyList<Value> Elements => Fields;
    public override string ToString() => "ref.array";
}

/// <summary>exninst ::= { TAG tagaddr, FIELDS val* }</summary>
public sealed class ExnInst(TagInst tag, Value[] fields) : Ref
{
    public TagInst Tag { get; } = tag;
    public IReadOnlyList<Value> Fields { get; } = fields;
    public override string ToString() => "ref.exn";
}
