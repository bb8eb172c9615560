using System.Buffers.Binary;
using System.Text;
using Spec.Execution;
using Spec.Syntax;

namespace WasmSpec;

/// <summary>
/// A linear memory. Addresses are guest pointers: an i32 pointer passed as a negative <c>int</c> (2 GiB and up) means
/// the same address as its unsigned value. Every access is bounds-checked; outside is a <see cref="Trap"/>
/// "out of bounds memory access". Multi-byte values are little-endian, as Wasm stores them.
/// </summary>
public sealed class Memory
{
    internal Memory(Store store, MemInst inner)
    {
        Store = store;
        Inner = inner;
    }

    public Store Store { get; }

    internal MemInst Inner { get; }

    public MemoryType Type => new(Inner.Type.AddrType == AddrType.I64, Inner.Pages, Inner.Type.Limits.Max, Inner.Type.Shared);

    /// <summary>The size in bytes.</summary>
    public ulong Length => Inner.Length;

    /// <summary>The size in pages.</summary>
    public ulong Pages => Inner.Pages;

    /// <summary>Grows by <paramref name="pages"/>: the old size in pages, or -1 if the memory cannot grow (its maximum, a store limit).</summary>
    public long Grow(ulong pages) => Embedding.GrowMemory(Inner, pages) is { } old ? (long)old : -1;

    /// <summary>
    /// The <paramref name="length"/> bytes at <paramref name="address"/>, to read and write in place: valid until the memory
    /// grows, and only while its store is alive (the span points into the memory's reservation, which the collector does
    /// not see through it).
    /// </summary>
    public Span<byte> GetSpan(long address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        try { return Inner.Span(Address(address), length); }
        catch (WasmException e) { throw Errors.Run(e); }
    }

    ulong Address(long address) =>
        Inner.Type.AddrType == AddrType.I64 ? (ulong)address
        : address is >= int.MinValue and <= uint.MaxValue ? (uint)address
        : throw new Trap(TrapCode.OutOfBoundsMemoryAccess, $"out of bounds memory access: address {address} of a 32-bit memory", []);

    public byte ReadByte(long address) => GetSpan(address, 1)[0];
    public void WriteByte(long address, byte value) => GetSpan(address, 1)[0] = value;
    public short ReadInt16(long address) => BinaryPrimitives.ReadInt16LittleEndian(GetSpan(address, 2));
    public void WriteInt16(long address, short value) => BinaryPrimitives.WriteInt16LittleEndian(GetSpan(address, 2), value);
    public int ReadInt32(long address) => BinaryPrimitives.ReadInt32LittleEndian(GetSpan(address, 4));
    public void WriteInt32(long address, int value) => BinaryPrimitives.WriteInt32LittleEndian(GetSpan(address, 4), value);
    public long ReadInt64(long address) => BinaryPrimitives.ReadInt64LittleEndian(GetSpan(address, 8));
    public void WriteInt64(long address, long value) => BinaryPrimitives.WriteInt64LittleEndian(GetSpan(address, 8), value);
    public float ReadSingle(long address) => BinaryPrimitives.ReadSingleLittleEndian(GetSpan(address, 4));
    public void WriteSingle(long address, float value) => BinaryPrimitives.WriteSingleLittleEndian(GetSpan(address, 4), value);
    public double ReadDouble(long address) => BinaryPrimitives.ReadDoubleLittleEndian(GetSpan(address, 8));
    public void WriteDouble(long address, double value) => BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(address, 8), value);

    /// <summary>The UTF-8 string of <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public string ReadString(long address, int length) => Encoding.UTF8.GetString(GetSpan(address, length));

    /// <summary>The UTF-8 string at <paramref name="address"/> up to its first zero byte (which must lie inside the memory).</summary>
    public string ReadNullTerminatedString(long address)
    {
        _ = GetSpan(address, 1);   // the first byte must be inside
        var start = Address(address);
        var rest = Inner.Span(start, (int)Math.Min(Length - start, int.MaxValue));
        int end = rest.IndexOf((byte)0);
        if (end < 0) throw new Trap(TrapCode.OutOfBoundsMemoryAccess, "out of bounds memory access: no terminating zero byte", []);
        return Encoding.UTF8.GetString(rest[..end]);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 (no terminating zero) at <paramref name="address"/>; returns the bytes written.</summary>
    public int WriteString(long address, string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        return Encoding.UTF8.GetBytes(value, GetSpan(address, n));
    }
}
