using System.Buffers.Binary;
using System.Text;
using Spec.Syntax;

namespace Spec.BinaryFormat;

/// <summary>A growable byte buffer; the encoder writes into one per nesting level of sized contents.</summary>
internal sealed class ByteWriter
{
    byte[] _a = new byte[256];
    int _n;

    internal int Length => _n;
    internal ReadOnlySpan<byte> Written => _a.AsSpan(0, _n);
    internal void Clear() => _n = 0;

    Span<byte> Grow(int k)
    {
        if (_n + k > _a.Length) Array.Resize(ref _a, Math.Max(_a.Length * 2, _n + k));
        var s = _a.AsSpan(_n, k);
        _n += k;
        return s;
    }

    internal void Byte(byte b)
    {
        if (_n == _a.Length) Array.Resize(ref _a, _a.Length * 2);
        _a[_n++] = b;
    }

    internal void Bytes(ReadOnlySpan<byte> bs) => bs.CopyTo(Grow(bs.Length));

    internal byte[] ToArray() => _a.AsSpan(0, _n).ToArray();

    // BuN: the shortest encoding.
    internal void U64(ulong v)
    {
        while (v >= 0x80) { Byte((byte)(v | 0x80)); v >>= 7; }
        Byte((byte)v);
    }

    internal void U32(uint v) => U64(v);

    // BsN: the shortest encoding, stopping once the remaining bits are all copies of the sign bit.
    internal void S64(long v)
    {
        while (true)
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) { Byte(b); return; }
            Byte((byte)(b | 0x80));
        }
    }

    internal void F32(uint bits) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), bits);
    internal void F64(ulong bits) => BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), bits);

    // Bname
    internal void Name(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        U32((uint)n);
        Encoding.UTF8.GetBytes(s, Grow(n));
    }

    /// <summary>A length-prefixed copy of <paramref name="content"/> (a section, a function body, a subsection).</summary>
    internal void Sized(ByteWriter content)
    {
        U32((uint)content.Length);
        Bytes(content.Written);
    }
}

// §5.1 Values, the encoding direction.
internal sealed partial class Encoder
{
    static ArgumentException Unencodable(string what) => new($"not representable in the binary format: {what}");
}
