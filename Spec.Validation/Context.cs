using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Spec.Syntax;

namespace Spec.Validation;

// §3.1.1 Contexts (spectec 2.0-validation.contexts): the context C of every typing rule.
// Types are kept closed: every type index is already replaced by its DefType, so subtyping needs no context.

/// <summary>localtype ::= init valtype, with init ::= SET | UNSET.</summary>
internal struct LocalType(ValType type, bool set)
{
    public readonly ValType Type = type;
    public bool Set = set;
}

/// <summary>
/// context ::= {TYPES deftype*, RECS subtype*, TAGS, GLOBALS, MEMS, TABLES, FUNCS, DATAS, ELEMS, LOCALS, LABELS, RETURN, REFS}.
/// LABELS live on the control stack of the algorithm (<see cref="Checker"/>); RECS is folded into rolling (<see cref="TypeRules.Roll"/>).
/// Also carries where checking is, so that a failing rule can say which rule and which field failed.
/// </summary>
internal sealed class Context
{
    public readonly List<DefType> Types = [];
    public readonly List<DefType> Tags = [];
    public readonly List<GlobalType> Globals = [];
    public readonly List<MemType> Mems = [];
    public readonly List<TableType> Tables = [];
    public readonly List<DefType> Funcs = [];
    // Custom descriptors proposal: C.FUNCS holds heap types, exact for defined functions and exact imports; kept beside Funcs.
    public readonly List<bool> FuncsExact = [];
    public int Datas;
    public readonly List<RefType> Elems = [];
    public LocalType[] Locals = [];
    public ImmutableArray<ValType>? Return;
    public readonly HashSet<uint> Refs = [];
    // The rules checked against: Wasm 3.0, with proposals switched on or 3.0 features off.
    public Features Features = Features.Default;

    // Where checking is: the rule being applied and the module field (and instruction) it is applied to.
    public string Rule = "Module_ok";
    public string Field = "module";
    public int? FuncIndex;
    public int InstrIndex = -1;

    [DoesNotReturn]
    public void Fail(string reason) => throw Error(reason);

    public ValidationException Error(string reason)
    {
        // An error in a function but before its first instruction (its locals, its type) names the function alone.
        var at = FuncIndex is { } f ? InstrIndex >= 0 ? $"func {f}, instr {InstrIndex}" : $"func {f}" : InstrIndex >= 0 ? $"{Field}, instr {InstrIndex}" : Field;
        return new ValidationException(reason, Rule, at, FuncIndex, InstrIndex >= 0 ? InstrIndex : null);
    }

    /// <summary>Enters a module field for error positions: "global 3", "elem 0", "type 5".</summary>
    public void At(string field, string rule)
    {
        Field = field; Rule = rule; FuncIndex = null; InstrIndex = -1;
    }

    // (ref null? exact? x) for the types of C, made once per index: GC instructions name them all the time.
    readonly Dictionary<uint, (RefType Null, RefType NonNull, RefType NullExact, RefType NonNullExact)> refs = [];

    public RefType RefTo(bool nullable, uint x, bool exact = false)
    {
        if (!refs.TryGetValue(x, out var r))
        {
            var dt = Type(x);
            var ex = new ExactHeap(dt);
            r = (new RefType(true, dt), new RefType(false, dt), new RefType(true, ex), new RefType(false, ex));
            refs[x] = r;
        }
        return (nullable, exact) switch
        {
            (true, false) => r.Null,
            (false, false) => r.NonNull,
            (true, true) => r.NullExact,
            _ => r.NonNullExact,
        };
    }

    /// <summary>The descriptor clause of C.TYPES[x], if any ($expanddt_to_desctype's DESCRIPTOR).</summary>
    public DefType? DescriptorOf(uint x) => TypeRules.Unroll(Type(x)).Descriptor as DefType;

    // Lookups of the index spaces, failing as "unknown <space> <index>".

    public DefType Type(uint x) => x < (uint)Types.Count ? Types[(int)x] : throw Error($"unknown type {x}");
    public DefType Func(uint x) => x < (uint)Funcs.Count ? Funcs[(int)x] : throw Error($"unknown function {x}");
    public GlobalType Global(uint x) => x < (uint)Globals.Count ? Globals[(int)x] : throw Error($"unknown global {x}");
    public TableType Table(uint x) => x < (uint)Tables.Count ? Tables[(int)x] : throw Error($"unknown table {x}");
    public MemType Mem(uint x) => x < (uint)Mems.Count ? Mems[(int)x] : throw Error($"unknown memory {x}");
    public DefType Tag(uint x) => x < (uint)Tags.Count ? Tags[(int)x] : throw Error($"unknown tag {x}");
    public RefType Elem(uint x) => x < (uint)Elems.Count ? Elems[(int)x] : throw Error($"unknown elem segment {x}");
    public void Data(uint x) { if (x >= (uint)Datas) Fail($"unknown data segment {x}"); }

    public ref LocalType Local(uint x)
    {
        if (x >= (uint)Locals.Length) Fail($"unknown local {x}");
        return ref Locals[x];
    }

    // Expand_use/typeidx (and Expand_use/deftype, via $expanddt): C.TYPES[x] ~~ comptype, demanding one kind of composite type.

    public FuncType FuncType(uint x) => TypeRules.Expand(Type(x)) as FuncType ?? throw Error($"type mismatch: type {x} is not a function type");
    public StructType StructType(uint x) => TypeRules.Expand(Type(x)) as StructType ?? throw Error($"type mismatch: type {x} is not a struct type");
    public ArrayType ArrayType(uint x) => TypeRules.Expand(Type(x)) as ArrayType ?? throw Error($"type mismatch: type {x} is not an array type");
}
