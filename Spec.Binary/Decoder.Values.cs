// Performance-critical: the decoder reads a span with an explicit cursor, imperatively.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Spec.BinaryFormat;

// §5.1 Values (spectec 5.1-binary.values): bytes, LEB128 integers, floats, names, lists.
internal ref partial struct Decoder
{
    const string UnexpectedEnd = "unexpected end of section or function";

    readonly ReadOnlySpan<byte> _b;
    int _p;
    readonly DecodeState _st;

    internal Decoder(ReadOnlySpan<byte> bytes, DecodeState? state = null)
    {
        _b = bytes;
        _p = 0;
        _st = state ?? new DecodeState();
    }

    internal readonly int Pos => _p;
    internal readonly int Remaining => _b.Length - _p;
    internal readonly bool AtEnd => _p >= _b.Length;

    internal static DecodeException Error(string reason, long offset) => new(reason, offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal readonly DecodeException Eof() => Error(UnexpectedEnd, _b.Length);

    // Bbyte
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte Byte()
    {
        if ((uint)_p >= (uint)_b.Length) throw Eof();
        return _b[_p++];
    }

    internal readonly int Peek() => _p < _b.Length ? _b[_p] : -1;

    internal ReadOnlySpan<byte> Bytes(int n)
    {
        if (n > Remaining) throw Eof();
        var s = _b.Slice(_p, n);
        _p += n;
        return s;
    }

    // BuN(32), with its fast path for the one-byte case that dominates real code.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint U32()
    {
        if ((uint)_p < (uint)_b.Length && _b[_p] < 0x80) return _b[_p++];
        return (uint)UN(32);
    }

    // BuN(64)
    internal ulong U64() => UN(64);

    // BuN(N): each byte carries 7 bits; a continuation is allowed only while N > 7, and the last byte must fit in N bits.
    ulong UN(int n)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7, n -= 7)
        {
            int at = _p;
            byte b = Byte();
            if (b < 0x80)
            {
                if (n < 7 && b >= 1u << n) throw Error("integer too large", at);
                return result | ((ulong)b << shift);
            }
            if (n <= 7) throw Error("integer representation too long", at);
            result |= (ulong)(b & 0x7F) << shift;
        }
    }

    // BsN(32)
    internal int S32() => (int)SN(32);

    // BsN(33)
    internal long S33() => SN(33);

    // BsN(64)
    internal long S64() => SN(64);

    // BsN(N): the last byte's unused bits must all equal its sign bit.
    long SN(int n)
    {
        long result = 0;
        for (int shift = 0; ; shift += 7, n -= 7)
        {
            int at = _p;
            byte b = Byte();
            if (b < 0x80)
            {
                if (n < 7)
                {
                    bool ok = b < 0x40 ? b < 1 << (n - 1) : b >= 0x80 - (1 << (n - 1));
                    if (!ok) throw Error("integer too large", at);
                }
                result |= (long)b << shift;
                int total = shift + 7;
                return total >= 64 ? result : (result << (64 - total)) >> (64 - total);
            }
            if (n <= 7) throw Error("integer representation too long", at);
            result |= (long)(b & 0x7F) << shift;
        }
    }

    // BfN(32): the IEEE 754 bits, little-endian.
    internal uint F32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    // BfN(64)
    internal ulong F64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

    /// <summary>
    /// The length of a list. It is not checked against the bytes left (running out of them is "unexpected end"),
    /// so arrays are allocated through <see cref="Alloc{T}"/>.
    /// </summary>
    internal uint Count() => U32();

    /// <summary>
    /// An array for a list of <paramref name="n"/> items, no longer than the bytes left: every item takes at least
    /// one byte, so a list that claims more runs out of bytes before it runs out of array.
    /// </summary>
    internal readonly T[] Alloc<T>(uint n) => n == 0 ? [] : new T[Math.Min(n, (uint)Remaining)];

    /// <summary>A length prefix (of a name, a section, a function body): never more than the bytes left, so nothing allocates what the input merely claims.</summary>
    internal int Len()
    {
        int at = _p;
        uint n = U32();
        if (n > (uint)Remaining) throw Error("length out of bounds", at);
        return (int)n;
    }

    // Bname: a UTF-8 encoded list of bytes.
    internal string Name()
    {
        int n = Len();
        int at = _p;
        var bytes = Bytes(n);
        if (!Utf8.IsValid(bytes)) throw Error("malformed UTF-8 encoding", at);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A byte that the spec reads as a one-byte signed LEB128 (type constructors): a continuation bit is a too-long integer.</summary>
    internal byte TypeByte()
    {
        int at = _p;
        byte b = Byte();
        if (b >= 0x80) throw Error("integer representation too long", at);
        return b;
    }
}
