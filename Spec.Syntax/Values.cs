namespace Spec.Syntax;

// §2.1 Values (spectec 1.1-syntax.values).

/// <summary>v128: a 128-bit vector, little-endian: <see cref="Lo"/> holds bytes 0..7.</summary>
public readonly record struct V128(ulong Lo, ulong Hi)
{
    public static readonly V128 Zero = default;

    public static V128 FromBytes(ReadOnlySpan<byte> b) =>
        new(BitConverter.ToUInt64(b[..8]), BitConverter.ToUInt64(b[8..16]));

    public byte[] ToBytes()
    {
        var b = new byte[16];
        BitConverter.TryWriteBytes(b.AsSpan(0, 8), Lo);
        BitConverter.TryWriteBytes(b.AsSpan(8, 8), Hi);
        return b;
    }

    public override string ToString() => $"0x{Hi:x16}{Lo:x16}";
}

/// <summary>sx ::= U | S</summary>
public enum Sx : byte { U, S }

/// <summary>sz ::= 8 | 16 | 32 | 64 (pack sizes of loads, stores and vector loads).</summary>
public enum Sz : byte { S8 = 8, S16 = 16, S32 = 32, S64 = 64 }

/// <summary>externidx ::= FUNC funcidx | TABLE tableidx | MEM memidx | GLOBAL globalidx | TAG tagidx</summary>
public enum ExternKind : byte { Func, Table, Mem, Global, Tag }

public readonly record struct ExternIdx(ExternKind Kind, uint Index);
