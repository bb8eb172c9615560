using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.4-4.2.14 Instances (spectec 4.0-execution.configurations: *inst). Each instance that native code reaches
// also has a cell in pinned memory (a function's entry and type id, a global's value, a table's function
// entries), kept in step with the managed object by the only methods that change it.

/// <summary>A host function: receives the arguments, returns the results (of the function type's arity).</summary>
public delegate IReadOnlyList<Value> HostFunc(IReadOnlyList<Value> args);

/// <summary>funcinst ::= { TYPE deftype, MODULE moduleinst, CODE funccode }. Also REF.FUNC_ADDR of itself.</summary>
public sealed unsafe class FuncInst : Ref
{
    public DefType Type { get; }
    public ModuleInstance Module { get; }
    /// <summary>The function's code in the module, or null for a host function.</summary>
    public Syntax.Func? Code { get; }
    public HostFunc? Host { get; }
    internal FuncType FuncType { get; }
    /// <summary>What the engines made of this function.</summary>
    internal readonly CodeSlot Slot;

    internal FuncInst(DefType type, ModuleInstance module, Syntax.Func? code, HostFunc? host)
    {
        Type = type; Module = module; Code = code; Host = host;
        FuncType = Types.Expand(type) as FuncType ?? throw new ArgumentException("not a function type", nameof(type));
        Slot = new CodeSlot(this, TypeIds.Of(type));
    }

    /// <summary>Calls the host function with <paramref name="args"/>. A Wasm error it raises passes through; any other
    /// exception, a wrong number of results or a result of the wrong type is a <see cref="HostException"/>.</summary>
    internal IReadOnlyList<Value> CallHost(IReadOnlyList<Value> args)
    {
        IReadOnlyList<Value> res;
        // A filter, not catch-and-rethrow: a rethrow would dispatch anew on top of the stack at every nested invocation.
        try { res = Host!(args) ?? throw new InvalidOperationException("host function returned no result list"); }
        catch (Exception e) when (e is not WasmException) { throw new HostException(e); }
        var want = FuncType.Results;
        if (res.Count != want.Length)
            throw new HostException(new InvalidOperationException($"host function returned {res.Count} values, expected {want.Length}"));
        for (int k = 0; k < res.Count; k++)
            if (!Types.ValMatches(res[k], want[k]))
                throw new HostException(new InvalidOperationException($"host result {k} is not of type {want[k]}"));
        return res;
    }

    public override string ToString() => "ref.func";
}

/// <summary>
/// A function's code slot: the interpreter's body once it has made one, and the native cell (entry point, the
/// engine's context for it, canonical type id, call count) that compiled code calls through.
/// </summary>
internal sealed unsafe class CodeSlot
{
    /// <summary>The interpreter's form of the body; opaque to the runtime.</summary>
    internal object? Interpreted;

    readonly FuncCell[] cell = GC.AllocateArray<FuncCell>(1, pinned: true);
    readonly GCHandle self;

    internal CodeSlot(FuncInst func, int typeId)
    {
        self = GCHandle.Alloc(func, GCHandleType.Weak);
        cell[0].TypeId = typeId;
        cell[0].Self = GCHandle.ToIntPtr(self);
    }

    ~CodeSlot() => self.Free();

    /// <summary>The native cell; its address never changes.</summary>
    internal FuncCell* Cell => (FuncCell*)Unsafe.AsPointer(ref cell[0]);
}

/// <summary>A function as native code calls it. Layout is part of the contract with <c>Spec.Native</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuncCell
{
    /// <summary>The engine's entry point for the function, or 0 before an engine has prepared it.</summary>
    public nint Entry;
    /// <summary>What the entry point expects beside its arguments (the JIT: its instance block).</summary>
    public nint Context;
    /// <summary>The canonical id of the function's type (<see cref="TypeIds"/>), compared by call_indirect.</summary>
    public int TypeId;
    /// <summary>How often the function was entered (for tiering; engines may leave it).</summary>
    public int Calls;
    /// <summary>A weak handle to the function, for the runtime functions native code calls with a cell.</summary>
    public nint Self;
}

/// <summary>taginst ::= { TYPE tagtype }</summary>
public sealed class TagInst(DefType type)
{
    public DefType Type { get; } = type;
    internal FuncType FuncType { get; } = (FuncType)Types.Expand(type);
}

/// <summary>globalinst ::= { TYPE globaltype, VALUE val }. A number or vector lives in a pinned cell native code
/// reads and writes (low 64 bits, then high 64 bits); a reference in a managed field.</summary>
public sealed unsafe class GlobalInst
{
    readonly ulong[] cell = GC.AllocateArray<ulong>(2, pinned: true);
    Ref? reference;
    readonly ValueKind kind;

    public GlobalInst(GlobalType type, Value value)
    {
        Type = type;
        kind = type.Type switch { NumValType n => (ValueKind)n.Type, VecValType => ValueKind.V128, _ => ValueKind.Ref };
        Value = value;
    }

    public GlobalType Type { get; }

    public Value Value
    {
        get => kind switch
        {
            ValueKind.Ref => Value.Reference(reference),
            ValueKind.V128 => Value.V128(new V128(cell[0], cell[1])),
            _ => Value.Num((NumType)kind, cell[0]),
        };
        set
        {
            reference = value.Ref;
            cell[0] = value.Bits;
            cell[1] = value.Hi;
        }
    }

    /// <summary>The value's cell (numbers and vectors); its address never changes.</summary>
    internal ulong* Cell => (ulong*)Unsafe.AsPointer(ref cell[0]);
}

/// <summary>
/// tableinst ::= { TYPE tabletype, REFS ref* }. The type's minimum is the current size. A table of functions also
/// keeps, for native code, each element's <see cref="FuncCell"/> address (0 for null) and its size in a pinned cell.
/// </summary>
public sealed unsafe class TableInst
{
    public TableType Type { get; private set; }
    Ref?[] elems;
    /// <summary>For a table of functions: each element's cell address; null otherwise.</summary>
    nint[]? funcCells;
    /// <summary>[0] the address of <see cref="funcCells"/>' first element, [1] the size.</summary>
    readonly ulong[] cell = GC.AllocateArray<ulong>(2, pinned: true);

    /// <summary>The claims of the store that made the table, which its elements count against.</summary>
    readonly StoreClaims? claims;

    public ulong Size => Type.Limits.Min;

    /// <summary>$alloctable, counted in <paramref name="claims"/> (none for a table no store limits).</summary>
    internal TableInst(TableType type, Ref? init, StoreClaims? claims)
    {
        if (type.Limits.Min > (ulong)Array.MaxLength) throw new ExhaustionException(TrapCode.TableSizeLimit);
        claims?.Table(type.Limits.Min);
        this.claims = claims;
        Type = type;
        elems = new Ref?[checked((int)type.Limits.Min)];
        if (Validation.Types.Top(type.ElemType.Heap) == AbsHeapType.Func)
            funcCells = GC.AllocateArray<nint>(Math.Max(elems.Length, 1), pinned: true);
        cell[1] = type.Limits.Min;
        Publish();
        if (init is not null) Fill(0, init, (ulong)elems.Length);
    }

    /// <summary>Whether native code can find the elements' functions in the table's cell.</summary>
    internal bool HasFuncCells => funcCells is not null;

    /// <summary>[0] the address of the element cells (functions tables only), [1] the size; the address never changes.</summary>
    internal ulong* Cell => (ulong*)Unsafe.AsPointer(ref cell[0]);

    void Publish() => cell[0] = funcCells is null ? 0 : (ulong)Unsafe.AsPointer(ref funcCells[0]);

    static nint CellOf(Ref? r) => r is FuncInst f ? (nint)f.Slot.Cell : 0;

    public Ref? this[ulong i]
    {
        get => i < Size ? elems[i] : throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        set { if (i < Size) Set(i, value); else throw new TrapException(TrapCode.OutOfBoundsTableAccess); }
    }

    /// <summary>The element at <paramref name="i"/> (in bounds).</summary>
    internal Ref? Get(ulong i) => elems[i];

    /// <summary>Sets the element at <paramref name="i"/> (in bounds).</summary>
    internal void Set(ulong i, Ref? r)
    {
        elems[i] = r;
        if (funcCells is not null) funcCells[i] = CellOf(r);
    }

    /// <summary>Sets <paramref name="n"/> elements from <paramref name="i"/> to <paramref name="r"/> (in bounds).</summary>
    internal void Fill(ulong i, Ref? r, ulong n)
    {
        Array.Fill(elems, r, (int)i, (int)n);
        if (funcCells is not null) Array.Fill(funcCells, CellOf(r), (int)i, (int)n);
    }

    /// <summary>Copies <paramref name="n"/> elements of <paramref name="src"/> from <paramref name="s"/> to <paramref name="d"/> (in bounds; may overlap).</summary>
    internal void Copy(ulong d, TableInst src, ulong s, ulong n)
    {
        Array.Copy(src.elems, (long)s, elems, (long)d, (long)n);
        if (funcCells is not null)
        {
            if (src.funcCells is not null) Array.Copy(src.funcCells, (long)s, funcCells, (long)d, (long)n);
            else for (ulong k = 0; k < n; k++) funcCells[d + k] = CellOf(elems[d + k]);
        }
    }

    /// <summary>Copies <paramref name="n"/> references of <paramref name="refs"/> from <paramref name="s"/> to <paramref name="d"/> (in bounds).</summary>
    internal void Init(ulong d, Ref?[] refs, ulong s, ulong n)
    {
        Array.Copy(refs, (long)s, elems, (long)d, (long)n);
        if (funcCells is not null) for (ulong k = 0; k < n; k++) funcCells[d + k] = CellOf(refs[s + k]);
    }

    /// <summary>Whether the table can grow by <paramref name="n"/>: not beyond its maximum, its address space or the store's limit.</summary>
    internal bool CanGrow(ulong n)
    {
        var limit = Math.Min(Type.Limits.Max ?? ulong.MaxValue, Type.AddrType == AddrType.I32 ? uint.MaxValue : ulong.MaxValue);
        return n <= limit - Size && n <= (ulong)Array.MaxLength - Size && n <= (claims?.TableElementsLeft ?? ulong.MaxValue);
    }

    /// <summary>$growtable: false when the table cannot grow by <paramref name="n"/> (<see cref="CanGrow"/>).</summary>
    internal bool Grow(ulong n, Ref? init)
    {
        var old = Size;
        if (!CanGrow(n)) return false;
        claims?.TryTableElements(n);
        var size = old + n;
        if (size > (ulong)elems.Length)
        {
            var capacity = (int)Math.Min(Math.Max(size, (ulong)elems.Length * 2), Math.Min(size + (claims?.TableElementsLeft ?? ulong.MaxValue - size), (ulong)Array.MaxLength));
            Array.Resize(ref elems, capacity);
            if (funcCells is not null)
            {
                var grown = GC.AllocateArray<nint>(capacity, pinned: true);
                Array.Copy(funcCells, grown, (int)old);
                funcCells = grown;
                Publish();
            }
        }
        Type = Type with { Limits = Type.Limits with { Min = size } };
        Fill(old, init, n);
        cell[1] = size;
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
    /// <summary>The canonical id of each of <see cref="Types"/> (<see cref="TypeIds"/>).</summary>
    internal int[] TypeIds = [];
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

    /// <summary>What an engine keeps for this instance (the JIT: its code and instance block); freed with the instance.</summary>
    internal object? EngineData;

    /// <summary>The export named <paramref name="name"/>, or null.</summary>
    public ExternVal? Export(string name)
    {
        foreach (var e in Exports) if (e.Name == name) return e.Value;
        return null;
    }
}

/// <summary>exninst ::= { TAG tagaddr, FIELDS val* }</summary>
public sealed class ExnInst(TagInst tag, Value[] fields) : Ref
{
    public TagInst Tag { get; } = tag;
    public IReadOnlyList<Value> Fields { get; } = fields;
    public override string ToString() => "ref.exn";
}
