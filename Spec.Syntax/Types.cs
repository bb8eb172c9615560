using System.Collections.Immutable;

namespace Spec.Syntax;

// §2.2 Types (spectec 1.2-syntax.types). Records mirror the grammar: one sealed record per production.

public enum NumType : byte { I32, I64, F32, F64 }

public enum VecType : byte { V128 }

public enum PackType : byte { I8, I16 }

public enum AddrType : byte { I32, I64 }

/// <summary>lanetype ::= numtype | packtype</summary>
public enum LaneType : byte { I8, I16, I32, I64, F32, F64 }

/// <summary>absheaptype; BOT exists only in the semantic grammar (absheaptype/sem).</summary>
public enum AbsHeapType : byte { Any, Eq, I31, Struct, Array, None, Func, NoFunc, Exn, NoExn, Extern, NoExtern, Bot }

public enum Mut : byte { Const, Var }

/// <summary>storagetype ::= valtype | packtype</summary>
public abstract record StorageType;

/// <summary>storagetype ::= ... | packtype</summary>
public sealed record PackedType(PackType Type) : StorageType
{
    public override string ToString() => Type == PackType.I8 ? "i8" : "i16";
}

/// <summary>valtype ::= numtype | vectype | reftype | BOT</summary>
public abstract record ValType : StorageType
{
    public static readonly NumValType I32 = new(NumType.I32);
    public static readonly NumValType I64 = new(NumType.I64);
    public static readonly NumValType F32 = new(NumType.F32);
    public static readonly NumValType F64 = new(NumType.F64);
    public static readonly VecValType V128 = new(VecType.V128);
    public static readonly BotValType Bot = new();

    public static NumValType Num(NumType t) => t switch
    {
        NumType.I32 => I32, NumType.I64 => I64, NumType.F32 => F32, _ => F64,
    };

    public static NumValType Of(AddrType at) => at == AddrType.I32 ? I32 : I64;
}

public sealed record NumValType(NumType Type) : ValType
{
    public override string ToString() => Type.ToString().ToLowerInvariant();
}

public sealed record VecValType(VecType Type) : ValType
{
    public override string ToString() => "v128";
}

/// <summary>valtype/sem BOT: the bottom of the operand stack after unreachable code.</summary>
public sealed record BotValType : ValType
{
    public override string ToString() => "bot";
}

/// <summary>reftype ::= REF null? heaptype</summary>
public sealed record RefType(bool Null, HeapType Heap) : ValType
{
    public static readonly RefType AnyRef = new(true, HeapType.Any);
    public static readonly RefType EqRef = new(true, HeapType.Eq);
    public static readonly RefType I31Ref = new(true, HeapType.I31);
    public static readonly RefType StructRef = new(true, HeapType.Struct);
    public static readonly RefType ArrayRef = new(true, HeapType.Array);
    public static readonly RefType FuncRef = new(true, HeapType.Func);
    public static readonly RefType ExnRef = new(true, HeapType.Exn);
    public static readonly RefType ExternRef = new(true, HeapType.Extern);
    public static readonly RefType NullRef = new(true, HeapType.None);
    public static readonly RefType NullFuncRef = new(true, HeapType.NoFunc);
    public static readonly RefType NullExnRef = new(true, HeapType.NoExn);
    public static readonly RefType NullExternRef = new(true, HeapType.NoExtern);

    public override string ToString() => $"(ref {(Null ? "null " : "")}{Heap})";
}

/// <summary>heaptype ::= absheaptype | typeuse</summary>
public abstract record HeapType
{
    public static readonly AbsHeap Any = new(AbsHeapType.Any);
    public static readonly AbsHeap Eq = new(AbsHeapType.Eq);
    public static readonly AbsHeap I31 = new(AbsHeapType.I31);
    public static readonly AbsHeap Struct = new(AbsHeapType.Struct);
    public static readonly AbsHeap Array = new(AbsHeapType.Array);
    public static readonly AbsHeap None = new(AbsHeapType.None);
    public static readonly AbsHeap Func = new(AbsHeapType.Func);
    public static readonly AbsHeap NoFunc = new(AbsHeapType.NoFunc);
    public static readonly AbsHeap Exn = new(AbsHeapType.Exn);
    public static readonly AbsHeap NoExn = new(AbsHeapType.NoExn);
    public static readonly AbsHeap Extern = new(AbsHeapType.Extern);
    public static readonly AbsHeap NoExtern = new(AbsHeapType.NoExtern);
    public static readonly AbsHeap Bot = new(AbsHeapType.Bot);

    public static AbsHeap Abs(AbsHeapType t) => t switch
    {
        AbsHeapType.Any => Any, AbsHeapType.Eq => Eq, AbsHeapType.I31 => I31, AbsHeapType.Struct => Struct,
        AbsHeapType.Array => Array, AbsHeapType.None => None, AbsHeapType.Func => Func, AbsHeapType.NoFunc => NoFunc,
        AbsHeapType.Exn => Exn, AbsHeapType.NoExn => NoExn, AbsHeapType.Extern => Extern,
        AbsHeapType.NoExtern => NoExtern, _ => Bot,
    };
}

/// <summary>heaptype ::= ... | EXACT typeuse (custom descriptors proposal): the type itself, none of its strict subtypes.</summary>
public sealed record ExactHeap(TypeUse Type) : HeapType
{
    public override string ToString() => $"(exact {Type})";
}

/// <summary>heaptype ::= absheaptype</summary>
public sealed record AbsHeap(AbsHeapType Type) : HeapType
{
    public override string ToString() => Type.ToString().ToLowerInvariant();
}

/// <summary>typeuse ::= _IDX typeidx | deftype | REC n (typeuse/syn and typeuse/sem)</summary>
public abstract record TypeUse : HeapType;

/// <summary>typeuse ::= _IDX typeidx — a type index, as in the binary and (resolved) text format.</summary>
public sealed record TypeIdx(uint Index) : TypeUse
{
    public override string ToString() => Index.ToString();
}

/// <summary>typeuse ::= REC n — a reference to the n-th type of the enclosing rec group, after rolling.</summary>
public sealed record RecIdx(uint Index) : TypeUse
{
    public override string ToString() => $"rec.{Index}";
}

/// <summary>deftype ::= _DEF rectype n — the n-th subtype of a closed recursive type.</summary>
public sealed record DefType(RecType Rec, int Index) : TypeUse
{
    public override string ToString() => $"def({Index})";
}

/// <summary>fieldtype ::= mut? storagetype</summary>
public sealed record FieldType(Mut Mut, StorageType Type);

/// <summary>comptype ::= STRUCT list(fieldtype) | ARRAY fieldtype | FUNC resulttype -> resulttype</summary>
public abstract record CompType;

public sealed record StructType(ImmutableArray<FieldType> Fields) : CompType
{
    public bool Equals(StructType? o) => o is not null && Sequences.Equal(Fields, o.Fields);
    public override int GetHashCode() => Sequences.Hash(Fields);
}

public sealed record ArrayType(FieldType Field) : CompType;

public sealed record FuncType(ImmutableArray<ValType> Params, ImmutableArray<ValType> Results) : CompType
{
    public bool Equals(FuncType? o) => o is not null && Sequences.Equal(Params, o.Params) && Sequences.Equal(Results, o.Results);
    public override int GetHashCode() => HashCode.Combine(Sequences.Hash(Params), Sequences.Hash(Results));
}

/// <summary>
/// subtype ::= SUB final? typeuse* desctype, where desctype ::= describestype? descriptortype? comptype
/// (custom descriptors proposal: DESCRIBES typeuse, DESCRIPTOR typeuse; both absent in plain Wasm 3.0).
/// </summary>
public sealed record SubType(bool Final, ImmutableArray<TypeUse> Supers, CompType Comp,
    TypeUse? Describes = null, TypeUse? Descriptor = null)
{
    public bool Equals(SubType? o) => o is not null && Final == o.Final && Sequences.Equal(Supers, o.Supers)
        && Comp.Equals(o.Comp) && Equals(Describes, o.Describes) && Equals(Descriptor, o.Descriptor);
    public override int GetHashCode() => HashCode.Combine(Final, Sequences.Hash(Supers), Comp, Describes, Descriptor);

    /// <summary>The abbreviation of a plain composite type: SUB FINAL eps comptype.</summary>
    public static SubType Plain(CompType comp) => new(true, [], comp);
}

/// <summary>rectype ::= REC list(subtype)</summary>
public sealed record RecType(ImmutableArray<SubType> Subs)
{
    public bool Equals(RecType? o) => o is not null && (ReferenceEquals(this, o) || Sequences.Equal(Subs, o.Subs));
    public override int GetHashCode() => Sequences.Hash(Subs);
}

/// <summary>limits ::= [u64 .. u64?]</summary>
public readonly record struct Limits(ulong Min, ulong? Max);

/// <summary>globaltype ::= mut? valtype</summary>
public sealed record GlobalType(Mut Mut, ValType Type);

/// <summary>memtype ::= addrtype limits PAGE. <paramref name="PageSizeLog2"/> is 16 unless custom page sizes say otherwise.</summary>
public sealed record MemType(AddrType AddrType, Limits Limits, bool Shared = false, byte PageSizeLog2 = 16);

/// <summary>tabletype ::= addrtype limits reftype</summary>
public sealed record TableType(AddrType AddrType, Limits Limits, RefType ElemType);

/// <summary>externtype ::= TAG tagtype | GLOBAL globaltype | MEM memtype | TABLE tabletype | FUNC typeuse</summary>
public abstract record ExternType;

/// <summary>tagtype ::= typeuse</summary>
public sealed record TagExtern(TypeUse Type) : ExternType;
public sealed record GlobalExtern(GlobalType Type) : ExternType;
public sealed record MemExtern(MemType Type) : ExternType;
public sealed record TableExtern(TableType Type) : ExternType;
/// <summary>externtype ::= FUNC typeuse; <paramref name="Exact"/>: an exact import (custom descriptors proposal), matched only by that very type.</summary>
public sealed record FuncExtern(TypeUse Type, bool Exact = false) : ExternType;
