using System.Buffers.Binary;
using System.Text;

namespace Spec.Wasi;

// The fd_* functions: descriptors, their rights and flags, reading, writing, seeking, metadata and directory listing.

public sealed partial class WasiHost
{
    Errno FdAdvise(uint fd, ulong offset, ulong len, uint advice)
    {
        var d = fds.Get(fd);
        if (advice > 5) return Errno.Inval;
        d.Require(Rights.FdAdvise);
        if (d is not HostDescriptor h) return Errno.Badf;
        if (h.Type == FileType.Directory) return Errno.Badf;
        Files.Advise(h.Fd, (long)offset, (long)len, (Advice)advice);
        return Errno.Success;
    }

    Errno FdAllocate(uint fd, ulong offset, ulong len)
    {
        var d = fds.Get(fd);
        d.Require(Rights.FdAllocate);
        if (d is not HostDescriptor { Type: FileType.RegularFile } h) return Errno.Badf;
        if ((long)offset < 0 || (long)len <= 0 || offset + len > long.MaxValue) return Errno.Inval;
        Files.Allocate(h.Fd, (long)offset, (long)len);
        return Errno.Success;
    }

    Errno FdClose(uint fd)
    {
        fds.Close(fd);
        return Errno.Success;
    }

    Errno FdDatasync(uint fd)
    {
        var d = fds.Get(fd);
        d.Require(Rights.FdDatasync);
        if (d is HostDescriptor h) Files.DataSync(h.Fd);
        else (d as StreamDescriptor)?.Output?.Flush();
        return Errno.Success;
    }

    Errno FdSync(uint fd)
    {
        var d = fds.Get(fd);
        d.Require(Rights.FdSync);
        if (d is HostDescriptor h) Files.Sync(h.Fd);
        else (d as StreamDescriptor)?.Output?.Flush();
        return Errno.Success;
    }

    // fdstat: fs_filetype u8 @0, fs_flags u16 @2, fs_rights_base u64 @8, fs_rights_inheriting u64 @16 (24 bytes)
    Errno FdFdstatGet(uint fd, uint ptr)
    {
        var d = fds.Get(fd);
        var s = Mem.Slice(ptr, 24);
        s.Clear();
        s[0] = (byte)d.Type;
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], d.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], d.Base);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], d.Inheriting);
        return Errno.Success;
    }

    Errno FdFdstatSetFlags(uint fd, uint flags)
    {
        var d = fds.Get(fd);
        if (flags > 0x1f) return Errno.Inval;
        d.Require(Rights.FdFdstatSetFlags);
        if (d is HostDescriptor h)
        {
            // Only APPEND and NONBLOCK can change on an open host descriptor; the sync flags are kept as given.
            Files.SetStatusFlags(h.Fd, append: (flags & FdFlags.Append) != 0, nonBlock: (flags & FdFlags.NonBlock) != 0);
        }
        if (d is SocketDescriptor k) k.Socket.Blocking = (flags & FdFlags.NonBlock) == 0;
        d.Flags = (ushort)flags;
        return Errno.Success;
    }

    /// <summary>Rights can only be dropped, never gained.</summary>
    Errno FdFdstatSetRights(uint fd, ulong rightsBase, ulong rightsInheriting)
    {
        var d = fds.Get(fd);
        if ((rightsBase & ~d.Base) != 0 || (rightsInheriting & ~d.Inheriting) != 0) return Errno.NotCapable;
        d.Base = rightsBase;
        d.Inheriting = rightsInheriting;
        return Errno.Success;
    }

    Errno FdFilestatGet(uint fd, uint ptr)
    {
        var d = fds.Get(fd);
        if (d is HostDescriptor) d.Require(Rights.FdFilestatGet);
        var stat = d is HostDescriptor h ? Files.StatAt(h.Fd, null, follow: false).ToWasi() : new FileStat(0, 0, d.Type, 1, 0, 0, 0, 0);
        stat.WriteTo(Mem.Slice(ptr, FileStat.ByteLength));
        return Errno.Success;
    }

    Errno FdFilestatSetSize(uint fd, ulong size)
    {
        var d = fds.Get(fd);
        d.Require(Rights.FdFilestatSetSize);
        if (d is not HostDescriptor { Type: FileType.RegularFile } h) return Errno.Badf;
        if ((long)size < 0) return Errno.Inval;
        Files.Truncate(h.Fd, (long)size);
        return Errno.Success;
    }

    Errno FdFilestatSetTimes(uint fd, ulong atim, ulong mtim, uint fstFlags)
    {
        var d = fds.Get(fd);
        var (a, m) = Times(atim, mtim, fstFlags);
        d.Require(Rights.FdFilestatSetTimes);
        if (d is not HostDescriptor h) return Errno.Badf;
        Files.SetTimesAt(h.Fd, null, a, m, follow: true);
        return Errno.Success;
    }

    /// <summary>fstflags to the host's (atime, mtime): a time, now, or left alone; both a time and now is EINVAL.</summary>
    static (TimeChange A, TimeChange M) Times(ulong atim, ulong mtim, uint flags)
    {
        if (flags > 0xf || (flags & FstFlags.Atim) != 0 && (flags & FstFlags.AtimNow) != 0
            || (flags & FstFlags.Mtim) != 0 && (flags & FstFlags.MtimNow) != 0) throw new WasiError(Errno.Inval);
        static TimeChange One(ulong t, uint f, ushort set, ushort now) =>
            (f & now) != 0 ? TimeChange.Now : (f & set) != 0 ? TimeChange.At((long)Math.Min(t, long.MaxValue)) : TimeChange.Omit;
        return (One(atim, flags, FstFlags.Atim, FstFlags.AtimNow), One(mtim, flags, FstFlags.Mtim, FstFlags.MtimNow));
    }

    // prestat: tag u8 @0 (0 = dir), pr_name_len u32 @4 (8 bytes)
    Errno FdPrestatGet(uint fd, uint ptr)
    {
        if (fds.Get(fd) is not HostDescriptor { Preopen: { } name }) return Errno.Badf;
        var s = Mem.Slice(ptr, 8);
        s.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)Encoding.UTF8.GetByteCount(name));
        return Errno.Success;
    }

    Errno FdPrestatDirName(uint fd, uint ptr, uint len)
    {
        if (fds.Get(fd) is not HostDescriptor { Preopen: { } name }) return Errno.Badf;
        var bytes = Encoding.UTF8.GetBytes(name);
        if (len < bytes.Length) return Errno.NameTooLong;
        bytes.CopyTo(Mem.Slice(ptr, (uint)bytes.Length));
        return Errno.Success;
    }

    Errno FdRead(uint fd, uint iovs, uint iovsLen, uint nreadPtr)
    {
        var d = fds.Get(fd);
        var vecs = Mem.Iovecs(iovs, iovsLen);
        Mem.Slice(nreadPtr, 4);
        d.Require(Rights.FdRead);
        uint total = 0;
        foreach (var (buf, len) in vecs)
        {
            int n = d switch
            {
                StreamDescriptor { Input: { } input } => ReadStream(input, Mem.Slice(buf, len)),
                StreamDescriptor => 0,
                SocketDescriptor k => Receive(k, Mem.Slice(buf, len)),
                HostDescriptor { Type: FileType.Directory } => throw new WasiError(Errno.IsDir),
                HostDescriptor h => ReadHost(h, Mem.Slice(buf, len)),
                _ => throw new WasiError(Errno.Badf),
            };
            total += (uint)n;
            if (n < len) break;
        }
        Mem.U32(nreadPtr, total);
        return Errno.Success;
    }

    Errno FdPread(uint fd, uint iovs, uint iovsLen, ulong offset, uint nreadPtr) =>
        PositionedIo(fd, iovs, iovsLen, offset, nreadPtr, Rights.FdRead, Files.ReadAt);

    Errno FdWrite(uint fd, uint iovs, uint iovsLen, uint nwrittenPtr)
    {
        var d = fds.Get(fd);
        var vecs = Mem.Iovecs(iovs, iovsLen);
        Mem.Slice(nwrittenPtr, 4);
        d.Require(Rights.FdWrite);
        uint total = 0;
        foreach (var (buf, len) in vecs)
        {
            switch (d)
            {
                case StreamDescriptor s:
                    s.Output?.Write(Mem.Slice(buf, len));
                    total += len;
                    break;
                case SocketDescriptor k:
                    int sent = Send(k, Mem.Slice(buf, len));
                    total += (uint)sent;
                    if (sent < len) goto done;
                    break;
                case HostDescriptor h:
                    int n = Files.Write(h.Fd, Mem.Slice(buf, len));
                    total += (uint)n;
                    if (n < len) goto done;
                    break;
            }
        }
        done:
        if (d is StreamDescriptor { Output: { } o }) o.Flush();
        Mem.U32(nwrittenPtr, total);
        return Errno.Success;
    }

    Errno FdPwrite(uint fd, uint iovs, uint iovsLen, ulong offset, uint nwrittenPtr) =>
        PositionedIo(fd, iovs, iovsLen, offset, nwrittenPtr, Rights.FdWrite, (h, buf, off) => Files.WriteAt(h, buf, off));

    delegate int Transfer(int hostFd, Span<byte> buffer, long offset);

    /// <summary>fd_pread and fd_pwrite: the iovecs in order at <paramref name="offset"/>, stopping at a short transfer.</summary>
    Errno PositionedIo(uint fd, uint iovs, uint iovsLen, ulong offset, uint resultPtr, ulong direction, Transfer transfer)
    {
        var d = fds.Get(fd);
        var vecs = Mem.Iovecs(iovs, iovsLen);
        Mem.Slice(resultPtr, 4);
        d.Require(direction | Rights.FdSeek);
        if (d is not HostDescriptor h) return Errno.Spipe;
        if (h.Type == FileType.Directory) return Errno.IsDir;
        if ((long)offset < 0) return Errno.Inval;
        uint total = 0;
        foreach (var (buf, len) in vecs)
        {
            int n = transfer(h.Fd, Mem.Slice(buf, len), (long)offset + total);
            total += (uint)n;
            if (n < len) break;
        }
        Mem.U32(resultPtr, total);
        return Errno.Success;
    }

    int ReadHost(HostDescriptor h, Span<byte> buf)
    {
        WaitReadable(h);
        return Files.Read(h.Fd, buf);
    }

    int Receive(SocketDescriptor k, Span<byte> buf)
    {
        try
        {
            WaitReadable(k.Socket);
            return k.Socket.Receive(buf);
        }
        catch (System.Net.Sockets.SocketException e) { throw SocketFailure(e); }
    }

    static int Send(SocketDescriptor k, ReadOnlySpan<byte> buf)
    {
        try { return k.Socket.Send(buf); }
        catch (System.Net.Sockets.SocketException e) { throw SocketFailure(e); }
    }

    Errno FdRenumber(uint from, uint to)
    {
        fds.Renumber(from, to);
        return Errno.Success;
    }

    Errno FdSeek(uint fd, long offset, uint whence, uint newOffsetPtr)
    {
        var d = fds.Get(fd);
        if (whence > 2) return Errno.Inval;
        Mem.Slice(newOffsetPtr, 8);
        d.Require(offset == 0 && whence == 1 ? Rights.FdTell : Rights.FdSeek);
        if (d is not HostDescriptor h) return Errno.Spipe;
        if (h.Type == FileType.Directory) return Errno.Badf;
        Mem.U64(newOffsetPtr, (ulong)Files.Seek(h.Fd, offset, (SeekOrigin)whence));
        return Errno.Success;
    }

    Errno FdTell(uint fd, uint ptr) => FdSeek(fd, 0, 1, ptr);

    // dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20 (24 bytes), then the name.
    // Cookie n names the n-th entry of a listing taken when the guest starts over from cookie 0.
    Errno FdReaddir(uint fd, uint buf, uint bufLen, ulong cookie, uint bufUsedPtr)
    {
        var d = fds.Get(fd);
        var output = Mem.Slice(buf, bufLen);
        Mem.Slice(bufUsedPtr, 4);
        d.Require(Rights.FdReaddir);
        if (d is not HostDescriptor { Type: FileType.Directory } h) return Errno.NotDir;
        if (cookie == 0 || h.Entries is null) h.Entries = Files.ReadDirectory(h.Fd);
        int used = 0;
        Span<byte> header = stackalloc byte[24];
        for (ulong k = cookie; k < (ulong)h.Entries.Count && used < output.Length; k++)
        {
            var (name, ino, type) = h.Entries[(int)k];
            BinaryPrimitives.WriteUInt64LittleEndian(header, k + 1);
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], ino);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)name.Length);
            header[20] = (byte)type; header[21] = header[22] = header[23] = 0;
            // The last entry is cut at the buffer's end; the guest sees a full buffer and asks again.
            foreach (var part in new[] { header.ToArray(), name })
            {
                int n = Math.Min(part.Length, output.Length - used);
                part.AsSpan(0, n).CopyTo(output[used..]);
                used += n;
            }
        }
        Mem.U32(bufUsedPtr, (uint)used);
        return Errno.Success;
    }
}
