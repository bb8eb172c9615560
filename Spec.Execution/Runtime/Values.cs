using System.Runtime.CompilerServices;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.1 Values (spectec 4.0-execution.configurations: num, vec, ref, val).
// A reference's address is the identity of the instance object it denotes: REF.FUNC_ADDR a is the
// FuncInst itself, REF.STRUCT_ADDR a the StructInst, and so on, so unreachable objects can be collected.
// REF.NULL_ADDR is the C# null.

/// <summary>Which production of val a <see cref="Value"/> is: CONST numtype, VCONST V128, or a ref.</summary>
public enum ValueKind : byte { I32, I64, F32, F64, V128, Ref }

/// <summary>
/// val ::= num | vec | ref. <see cref="Bits"/> is the bit pattern of a number (i32/f32 zero-extended, as in
/// <see cref="Const.Bits"/>) or the low half of a vector; <see cref="Hi"/> the vector's high half.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    public readonly ulong Bits;
    public readonly ulong Hi;
    public readonly Ref? Ref;
    public readonly ValueKind Kind;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Value(ValueKind kind, ulong bits, ulong hi, Ref? r) { Kind = kind; Bits = bits; Hi = hi; Ref = r; }

    public static Value I32(int v) => new(ValueKind.I32, (uint)v, 0, null);
    public static Value I32(uint v) => new(ValueKind.I32, v, 0, null);
    public static Value I64(long v) => new(ValueKind.I64, (ulong)v, 0, null);
    public static Value I64(ulong v) => new(ValueKind.I64, v, 0, null);
    public static Value F32(float v) => new(ValueKind.F32, BitConverter.SingleToUInt32Bits(v), 0, null);
    public static Value F64(double v) => new(ValueKind.F64, BitConverter.DoubleToUInt64Bits(v), 0, null);
    public static Value F32Bits(uint bits) => new(ValueKind.F32, bits, 0, null);
    public static Value F64Bits(ulong bits) => new(ValueKind.F64, bits, 0, null);
    public static Value V128(V128 v) => new(ValueKind.V128, v.Lo, v.Hi, null);
    public static Value Reference(Ref? r) => new(ValueKind.Ref, 0, 0, r);
    public static readonly Value Null = new(ValueKind.Ref, 0, 0, null);

    /// <summary>CONST nt c, from the bit pattern (i32/f32 use the low 32 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Num(NumType t, ulong bits) => t switch
    {
        NumType.I32 => new(ValueKind.I32, (uint)bits, 0, null),
        NumType.I64 => new(ValueKind.I64, bits, 0, null),
        NumType.F32 => new(ValueKind.F32, (uint)bits, 0, null),
        _ => new(ValueKind.F64, bits, 0, null),
    };

    public int AsI32 => (int)(uint)Bits;
    public uint AsU32 => (uint)Bits;
    public long AsI64 => (long)Bits;
    public float AsF32 => BitConverter.UInt32BitsToSingle((uint)Bits);
    public double AsF64 => BitConverter.UInt64BitsToDouble(Bits);
    public V128 AsV128 => new(Bits, Hi);
    public bool IsNull => Kind == ValueKind.Ref && Ref is null;

    /// <summary>$default_(t): zero for numbers and vectors, null for nullable references, none otherwise.</summary>
    public static Value? Default(ValType t) => t switch
    {
        NumValType n => Num(n.Type, 0),
        VecValType => V128(default),
        RefType { Null: true } => Null,
        _ => null,
    };

    public bool Equals(Value o) => Kind == o.Kind && Bits == o.Bits && Hi == o.Hi && Equals(Ref, o.Ref);
    public override bool Equals(object? obj) => obj is Value v && Equals(v);
    public override int GetHashCode() => HashCode.Combine(Kind, Bits, Hi, Ref);
    public static bool operator ==(Value a, Value b) => a.Equals(b);
    public static bool operator !=(Value a, Value b) => !a.Equals(b);

    public override string ToString() => Kind switch
    {
        ValueKind.I32 => $"i32:{AsI32}",
        ValueKind.I64 => $"i64:{AsI64}",
        ValueKind.F32 => $"f32:{AsF32}",
        ValueKind.F64 => $"f64:{AsF64}",
        ValueKind.V128 => $"v128:{AsV128}",
        _ => Ref?.ToString() ?? "ref.null",
    };
}

/// <summary>ref ::= REF.I31_NUM | REF.STRUCT_ADDR | REF.ARRAY_ADDR | REF.FUNC_ADDR | REF.EXN_ADDR | REF.HOST_ADDR | REF.EXTERN ref (null is C# null).</summary>
public abstract class Ref;

/// <summary>REF.I31_NUM u31</summary>
public sealed class I31Ref(uint value) : Ref
{
    /// <summary>The 31-bit payload (the top bit is always clear).</summary>
    public uint Value { get; } = value & 0x7fff_ffff;
    public override string ToString() => $"ref.i31 {Value}";
}

/// <summary>REF.HOST_ADDR hostaddr: an opaque value of the embedder, equal when the addresses are.</summary>
public sealed class HostRef(ulong address) : Ref
{
    public ulong Address { get; } = address;
    public override bool Equals(object? obj) => obj is HostRef h && h.Address == Address;
    public override int GetHashCode() => Address.GetHashCode();
    public override string ToString() => $"ref.host {Address}";
}

/// <summary>REF.EXTERN ref: an internal (any) reference converted to extern (never of a null).</summary>
public sealed class ExternRef(Ref inner) : Ref
{
    public Ref Inner { get; } = inner;
    public override bool Equals(object? obj) => obj is ExternRef e && Equals(e.Inner, Inner);
    public override int GetHashCode() => Inner.GetHashCode() ^ 0x5a5a;
    public override string ToString() => $"ref.extern {Inner}";
}
