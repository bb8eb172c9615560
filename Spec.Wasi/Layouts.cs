using System.Buffers.Binary;
using Spec.Execution;

namespace Spec.Wasi;

// The preview1 type layouts (witx, little-endian, natural alignment) and the flag values they carry.

internal enum FileType : byte { Unknown, BlockDevice, CharacterDevice, Directory, RegularFile, SocketDgram, SocketStream, SymbolicLink }

/// <summary>fd_advise's advice (witx `advice`, u8), in the witx order: not the order of POSIX's constants.</summary>
internal enum Advice : byte { Normal, Sequential, Random, WillNeed, DontNeed, NoReuse }

internal static class FdFlags { public const ushort Append = 1, Dsync = 2, NonBlock = 4, Rsync = 8, Sync = 16; }
internal static class OFlags { public const ushort Creat = 1, Directory = 2, Excl = 4, Trunc = 8; }
internal static class LookupFlags { public const uint SymlinkFollow = 1; }
internal static class FstFlags { public const ushort Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8; }

/// <summary>witx `rights`: one bit per operation a descriptor may perform.</summary>
internal static class Rights
{
    public const ulong FdDatasync = 1 << 0, FdRead = 1 << 1, FdSeek = 1 << 2, FdFdstatSetFlags = 1 << 3, FdSync = 1 << 4,
        FdTell = 1 << 5, FdWrite = 1 << 6, FdAdvise = 1 << 7, FdAllocate = 1 << 8, PathCreateDirectory = 1 << 9,
        PathCreateFile = 1 << 10, PathLinkSource = 1 << 11, PathLinkTarget = 1 << 12, PathOpen = 1 << 13,
        FdReaddir = 1 << 14, PathReadlink = 1 << 15, PathRenameSource = 1 << 16, PathRenameTarget = 1 << 17,
        PathFilestatGet = 1 << 18, PathFilestatSetSize = 1 << 19, PathFilestatSetTimes = 1 << 20,
        FdFilestatGet = 1 << 21, FdFilestatSetSize = 1 << 22, FdFilestatSetTimes = 1 << 23, PathSymlink = 1 << 24,
        PathRemoveDirectory = 1 << 25, PathUnlinkFile = 1 << 26, PollFdReadwrite = 1 << 27, SockShutdown = 1 << 28,
        SockAccept = 1 << 29;

    public const ulong All = (1UL << 30) - 1;

    /// <summary>What a regular file descriptor can do.</summary>
    public const ulong File = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise
        | FdAllocate | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite;

    /// <summary>What a directory descriptor can do.</summary>
    public const ulong Directory = FdFdstatSetFlags | FdSync | FdDatasync | PathCreateDirectory | PathCreateFile
        | PathLinkSource | PathLinkTarget | PathOpen | FdReaddir | PathReadlink | PathRenameSource | PathRenameTarget
        | PathFilestatGet | PathFilestatSetSize | PathFilestatSetTimes | FdFilestatGet | FdFilestatSetTimes
        | PathSymlink | PathRemoveDirectory | PathUnlinkFile;

    /// <summary>The rights a read-only preopen withholds: everything that changes the tree or a file.</summary>
    public const ulong Mutating = FdDatasync | FdSync | FdWrite | FdAllocate | PathCreateDirectory | PathCreateFile
        | PathLinkSource | PathLinkTarget | PathRenameSource | PathRenameTarget | PathFilestatSetSize
        | PathFilestatSetTimes | FdFilestatSetSize | FdFilestatSetTimes | PathSymlink | PathRemoveDirectory
        | PathUnlinkFile;
}

/// <summary>witx `filestat` (64 bytes).</summary>
internal readonly record struct FileStat(ulong Dev, ulong Ino, FileType Type, ulong Nlink, ulong Size, ulong Atim, ulong Mtim, ulong Ctim)
{
    public const int ByteLength = 64; // the layout's size in memory

    public void WriteTo(Span<byte> s)
    {
        s[..ByteLength].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(s, Dev);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], Ino);
        s[16] = (byte)Type;
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], Nlink);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], Size);
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], Atim);
        BinaryPrimitives.WriteUInt64LittleEndian(s[48..], Mtim);
        BinaryPrimitives.WriteUInt64LittleEndian(s[56..], Ctim);
    }
}

/// <summary>
/// The guest's linear memory seen by WASI: every access is bounds-checked, and an access outside the memory
/// is EFAULT (a <see cref="WasiError"/>), never a trap or a host exception.
/// </summary>
internal readonly struct GuestMemory(MemInst? mem)
{
    /// <summary>The bytes [ptr, ptr+len), or EFAULT.</summary>
    public Span<byte> Slice(uint ptr, uint len)
    {
        if (mem is null || len > int.MaxValue || !InBounds(ptr, len)) throw new WasiError(Errno.Fault);
        return mem.Span(ptr, (int)len);
    }

    bool InBounds(ulong ptr, ulong len) => len <= mem!.Length && ptr <= mem.Length - len;

    public byte U8(uint p) => Slice(p, 1)[0];
    public ushort U16(uint p) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(p, 2));
    public uint U32(uint p) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(p, 4));
    public ulong U64(uint p) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(p, 8));
    public void U8(uint p, byte v) => Slice(p, 1)[0] = v;
    public void U16(uint p, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Slice(p, 2), v);
    public void U32(uint p, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(p, 4), v);
    public void U64(uint p, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Slice(p, 8), v);

    /// <summary>A UTF-8 string argument; invalid UTF-8 is EILSEQ.</summary>
    public string Utf8(uint ptr, uint len)
    {
        var bytes = Slice(ptr, len);
        try { return new System.Text.UTF8Encoding(false, true).GetString(bytes); }
        catch (ArgumentException) { throw new WasiError(Errno.Ilseq); }
    }

    /// <summary>iovec/ciovec array: (buf, len) pairs of 8 bytes each, every one validated before use.</summary>
    public (uint Buf, uint Len)[] Iovecs(uint ptr, uint count)
    {
        if (count > 1024) throw new WasiError(Errno.Inval); // IOV_MAX: never allocate what the guest merely claims
        var raw = Slice(ptr, count * 8);
        var iovs = new (uint, uint)[count];
        for (int k = 0; k < count; k++)
        {
            uint buf = BinaryPrimitives.ReadUInt32LittleEndian(raw[(k * 8)..]), len = BinaryPrimitives.ReadUInt32LittleEndian(raw[(k * 8 + 4)..]);
            Slice(buf, len);
            iovs[k] = (buf, len);
        }
        return iovs;
    }
}
