using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Spec.Syntax;

namespace Spec.Execution;

// The runtime's part of the aggregate and reference instructions (§4.4.4-4.4.5), shared by both engines: packing
// and unpacking of fields ($packfield_, $unpackfield_), default values, the byte form of array elements, and
// reference identity.

internal static class Aggregates
{
    /// <summary>Arrays larger than this many elements are refused as exhaustion rather than allocated.</summary>
    public const ulong MaxArrayLength = 1 << 27;

    /// <summary>ref_1 = ref_2 for non-null references: the same address, or the same i31 number.</summary>
    public static bool SameRef(Ref? r1, Ref? r2) => r1 is I31Ref a && r2 is I31Ref b ? a.Value == b.Value : ReferenceEquals(r1, r2);

    /// <summary>Does <paramref name="r"/> (non-null) carry exactly the descriptor <paramref name="desc"/>? Only structs carry one.</summary>
    public static bool HasDescriptor(Ref r, Ref desc) => r is StructInst { Descriptor: { } d } && SameRef(d, desc);

    // ---- Fields: $packfield_ / $unpackfield_, and their packed storage ----

    /// <summary>Whether fields of <paramref name="t"/> hold references (stored apart from the bytes).</summary>
    public static bool IsRef(StorageType t) => t is RefType;

    /// <summary>$unpackfield_: a packed field's stored i32, sign- or zero-extended as <paramref name="sx"/> says.</summary>
    public static Value UnpackField(StorageType t, Sx? sx, Value v) => t switch
    {
        PackedType { Type: PackType.I8 } => Value.I32(sx == Sx.S ? (uint)(int)(sbyte)v.AsU32 : v.AsU32),
        PackedType => Value.I32(sx == Sx.S ? (uint)(int)(short)v.AsU32 : v.AsU32),
        _ => v,
    };

    /// <summary>The byte size of a storage type ($zsize), for array.new_data / array.init_data.</summary>
    public static int ZSize(StorageType t) => t switch
    {
        PackedType { Type: PackType.I8 } => 1,
        PackedType => 2,
        NumValType { Type: NumType.I32 or NumType.F32 } => 4,
        NumValType => 8,
        _ => 16,
    };

    /// <summary>$inverse_of_bytes: the field value stored in the first $zsize bytes of <paramref name="b"/> (a packed one as its i32).</summary>
    public static Value Load(StorageType t, ReadOnlySpan<byte> b) => t switch
    {
        PackedType { Type: PackType.I8 } => Value.I32(b[0]),
        PackedType => Value.I32(BinaryPrimitives.ReadUInt16LittleEndian(b)),
        NumValType n => Value.Num(n.Type, n.Type is NumType.I32 or NumType.F32 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b)),
        _ => Value.V128(new V128(BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt64LittleEndian(b[8..]))),
    };

    /// <summary>$packfield_ then $bytes: <paramref name="v"/> into the first $zsize bytes of <paramref name="b"/>, a packed field wrapped to its width.</summary>
    public static void Store(StorageType t, Span<byte> b, Value v)
    {
        switch (t)
        {
            case PackedType { Type: PackType.I8 }: b[0] = (byte)v.Bits; break;
            case PackedType: BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v.Bits); break;
            case NumValType { Type: NumType.I32 or NumType.F32 }: BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v.Bits); break;
            case NumValType: BinaryPrimitives.WriteUInt64LittleEndian(b, v.Bits); break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(b, v.Bits);
                BinaryPrimitives.WriteUInt64LittleEndian(b[8..], v.Hi);
                break;
        }
    }
}

/// <summary>
/// Where a struct type's fields live in a <see cref="StructInst"/>: numbers and vectors packed in one byte array at
/// their size ($zsize: i8 1, i16 2, i32/f32 4, i64/f64 8, v128 16), references in a reference array. One per struct
/// type, made when first needed.
/// </summary>
internal sealed class StructLayout
{
    public readonly StorageType[] Types;
    /// <summary>Per field: its byte offset, or its index among the references.</summary>
    public readonly int[] Places;
    public readonly int Bytes, Refs;

    StructLayout(StructType st)
    {
        Types = [.. st.Fields.Select(f => f.Type)];
        Places = new int[Types.Length];
        for (int k = 0; k < Types.Length; k++)
            Places[k] = Aggregates.IsRef(Types[k]) ? Refs++ : (Bytes += Aggregates.ZSize(Types[k])) - Aggregates.ZSize(Types[k]);
    }

    static readonly ConditionalWeakTable<StructType, StructLayout> layouts = new();

    public static StructLayout Of(StructType st) => layouts.GetValue(st, t => new StructLayout(t));
}

/// <summary>
/// structinst ::= { TYPE deftype, DESC ref?, FIELDS fieldval* }; DESC is the custom descriptor (custom descriptors
/// proposal), present exactly when the type has a descriptor clause. packval ::= PACK packtype iN. Fields are stored
/// packed (<see cref="StructLayout"/>) and start as their defaults (all bits zero, null); the object's bytes count in
/// its store's <see cref="GcHeap"/> until it is reclaimed.
/// </summary>
public sealed class StructInst : Ref
{
    readonly StructLayout layout;
    readonly byte[] bytes;
    readonly Ref?[] refs;
    /// <summary>The heap the object's bytes were claimed from; null if the claim failed (the finalizer still runs).</summary>
    readonly GcHeap? heap;
    readonly long size;

    // Only allocation makes structs, so that a type with a descriptor clause always has its descriptor.
    internal StructInst(GcHeap heap, DefType type, StructType st, Ref? descriptor)
    {
        layout = StructLayout.Of(st);
        size = GcHeap.ObjectBytes + layout.Bytes + 8L * layout.Refs;
        heap.Claim(size);
        this.heap = heap;
        Type = type;
        Descriptor = descriptor;
        bytes = layout.Bytes == 0 ? [] : new byte[layout.Bytes];
        refs = layout.Refs == 0 ? [] : new Ref?[layout.Refs];
    }

    ~StructInst() => heap?.Release(size);

    public DefType Type { get; }
    /// <summary>The custom descriptor given at allocation (never null for a type with a descriptor clause), else null.</summary>
    public Ref? Descriptor { get; }

    /// <summary>The field's value: a packed field as its zero-extended i32 ($unpackfield_ then applies the sign).</summary>
    internal Value Get(uint field)
    {
        var t = layout.Types[field];
        int at = layout.Places[field];
        return Aggregates.IsRef(t) ? Value.Reference(refs[at]) : Aggregates.Load(t, bytes.AsSpan(at));
    }

    /// <summary>Sets the field to <paramref name="v"/>, wrapped to a packed field's width ($packfield_).</summary>
    internal void Set(uint field, Value v)
    {
        var t = layout.Types[field];
        int at = layout.Places[field];
        if (Aggregates.IsRef(t)) refs[at] = v.Ref;
        else Aggregates.Store(t, bytes.AsSpan(at), v);
    }

    public IReadOnlyList<Value> FieldValues => [.. Enumerable.Range(0, layout.Types.Length).Select(k => Get((uint)k))];
    public override string ToString() => "ref.struct";
}

/// <summary>
/// arrayinst ::= { TYPE deftype, FIELDS fieldval* }: numeric and vector elements packed in a byte array at their size,
/// references in a reference array; all start as their default. The object's bytes count in its store's
/// <see cref="GcHeap"/> until it is reclaimed.
/// </summary>
public sealed class ArrayInst : Ref
{
    readonly StorageType elem;
    readonly int z;
    readonly bool isRef;
    readonly byte[] bytes;
    readonly Ref?[] refs;
    /// <summary>The heap the object's bytes were claimed from; null if the claim failed (the finalizer still runs).</summary>
    readonly GcHeap? heap;
    readonly long size;

    /// <summary>An array of <paramref name="length"/> default elements; "out of memory" past <see cref="Aggregates.MaxArrayLength"/>.</summary>
    internal ArrayInst(GcHeap heap, DefType type, ArrayType at, ulong length)
    {
        if (length > Aggregates.MaxArrayLength) throw new ExhaustionException(TrapCode.OutOfMemory);
        elem = at.Field.Type;
        isRef = Aggregates.IsRef(elem);
        z = isRef ? 8 : Aggregates.ZSize(elem);
        size = GcHeap.ObjectBytes + (long)length * z;
        heap.Claim(size);
        this.heap = heap;
        Type = type;
        Length = (int)length;
        bytes = isRef || length == 0 ? [] : new byte[length * (ulong)z];
        refs = isRef && length > 0 ? new Ref?[length] : [];
    }

    ~ArrayInst() => heap?.Release(size);

    public DefType Type { get; }
    public int Length { get; }

    /// <summary>The element at <paramref name="i"/> (in bounds): a packed element as its zero-extended i32.</summary>
    internal Value Get(uint i) => isRef ? Value.Reference(refs[i]) : Aggregates.Load(elem, bytes.AsSpan((int)i * z, z));

    /// <summary>Sets the element at <paramref name="i"/> (in bounds), wrapped to a packed element's width.</summary>
    internal void Set(uint i, Value v)
    {
        if (isRef) refs[i] = v.Ref;
        else Aggregates.Store(elem, bytes.AsSpan((int)i * z, z), v);
    }

    /// <summary>Sets <paramref name="n"/> elements from <paramref name="d"/> to <paramref name="v"/> (in bounds).</summary>
    internal void Fill(uint d, uint n, Value v)
    {
        if (n == 0) return;
        if (isRef) { Array.Fill(refs, v.Ref, (int)d, (int)n); return; }
        var run = bytes.AsSpan((int)d * z, (int)n * z);
        Aggregates.Store(elem, run, v);
        for (int done = z; done < run.Length; done *= 2) run[..Math.Min(done, run.Length - done)].CopyTo(run[done..]);
    }

    /// <summary>Copies <paramref name="n"/> elements of <paramref name="src"/> (of the same storage) from <paramref name="s"/> to <paramref name="d"/> (in bounds; may overlap).</summary>
    internal void Copy(uint d, ArrayInst src, uint s, uint n)
    {
        if (isRef) Array.Copy(src.refs, s, refs, d, n);
        else src.bytes.AsSpan((int)s * z, (int)n * z).CopyTo(bytes.AsSpan((int)d * z));
    }

    /// <summary>array.init_data: the elements from <paramref name="d"/> take the bytes of <paramref name="data"/> ($inverse_of_bytes of each element's $zsize bytes).</summary>
    internal void InitData(uint d, ReadOnlySpan<byte> data) => data.CopyTo(bytes.AsSpan((int)d * z));

    /// <summary>array.init_elem: the elements from <paramref name="d"/> take <paramref name="n"/> references of <paramref name="src"/> from <paramref name="s"/>.</summary>
    internal void InitRefs(uint d, Ref?[] src, uint s, uint n) => Array.Copy(src, s, refs, d, n);

    public IReadOnlyList<Value> Elements => [.. Enumerable.Range(0, Length).Select(k => Get((uint)k))];
    public override string ToString() => "ref.array";
}
