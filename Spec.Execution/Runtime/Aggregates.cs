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

    // ---- Fields: $packfield_ / $unpackfield_ ----

    public static Value PackField(StorageType t, Value v) => t switch
    {
        PackedType { Type: PackType.I8 } => Value.I32(v.AsU32 & 0xff),
        PackedType => Value.I32(v.AsU32 & 0xffff),
        _ => v,
    };

    public static Value UnpackField(StorageType t, Sx? sx, Value v) => t switch
    {
        PackedType { Type: PackType.I8 } => Value.I32(sx == Sx.S ? (uint)(int)(sbyte)v.AsU32 : v.AsU32),
        PackedType => Value.I32(sx == Sx.S ? (uint)(int)(short)v.AsU32 : v.AsU32),
        _ => v,
    };

    public static Value DefaultField(StorageType t) => t switch
    {
        PackedType => Value.I32(0),
        ValType v => Value.Default(v) ?? Value.Null,
        _ => Value.Null,
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

    /// <summary>$inverse_of_bytes: the field value stored in <paramref name="b"/>.</summary>
    public static Value FieldFromBytes(StorageType t, ReadOnlySpan<byte> b) => t switch
    {
        PackedType { Type: PackType.I8 } => Value.I32(b[0]),
        PackedType => Value.I32(BitConverter.ToUInt16(b)),
        NumValType n => Value.Num(n.Type, n.Type is NumType.I32 or NumType.F32 ? BitConverter.ToUInt32(b) : BitConverter.ToUInt64(b)),
        _ => Value.V128(V128.FromBytes(b)),
    };

}
