using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Spec.Wasi;

// IHostFiles through libc's descriptor-relative calls (openat, statx, mkdirat, ...), with Linux's constants and errno
// numbers. .NET has no directory-relative file operations, and the sandbox needs them.

internal sealed unsafe partial class LinuxHostFiles : IHostFiles
{
    const int AtFdCwd = -100, AtSymlinkNofollow = 0x100, AtRemoveDir = 0x200, AtEmptyPath = 0x1000;
    const int ORdOnly = 0, OWrOnly = 1, ORdWr = 2, OCreat = 0x40, OExcl = 0x80, ONoCtty = 0x100, OTrunc = 0x200,
        OAppend = 0x400, ONonBlock = 0x800, ODsync = 0x1000, OSync = 0x101000, OCloExec = 0x80000, OPath = 0x200000;
    static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    static readonly int ODirectory = Arm ? 0x4000 : 0x10000, ONoFollow = Arm ? 0x8000 : 0x20000;
    const int SIfMt = 0xF000, SIfDir = 0x4000, SIfReg = 0x8000, SIfLnk = 0xA000, SIfChr = 0x2000, SIfBlk = 0x6000,
        SIfSock = 0xC000;
    const long UtimeNow = (1L << 30) - 1, UtimeOmit = (1L << 30) - 2;
    const int FGetFl = 3, FSetFl = 4;
    const int PosixFadvNormal = 0, PosixFadvRandom = 1, PosixFadvSequential = 2, PosixFadvWillNeed = 3,
        PosixFadvDontNeed = 4, PosixFadvNoReuse = 5;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int openat(int dirfd, string path, int flags, int mode);
    [LibraryImport("libc", SetLastError = true)] private static partial int close(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial nint read(int fd, byte* buf, nuint n);
    [LibraryImport("libc", SetLastError = true)] private static partial nint write(int fd, byte* buf, nuint n);
    [LibraryImport("libc", SetLastError = true)] private static partial nint pread(int fd, byte* buf, nuint n, long off);
    [LibraryImport("libc", SetLastError = true)] private static partial nint pwrite(int fd, byte* buf, nuint n, long off);
    [LibraryImport("libc", SetLastError = true)] private static partial long lseek(int fd, long off, int whence);
    [LibraryImport("libc", SetLastError = true)] private static partial int fsync(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int fdatasync(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int ftruncate(int fd, long len);
    [LibraryImport("libc")] private static partial int posix_fallocate(int fd, long off, long len);
    [LibraryImport("libc")] private static partial int posix_fadvise(int fd, long off, long len, int advice);
    [LibraryImport("libc", SetLastError = true)] private static partial int fcntl(int fd, int cmd, int arg);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buf);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int mkdirat(int dirfd, string path, int mode);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int unlinkat(int dirfd, string path, int flags);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int renameat(int olddirfd, string oldpath, int newdirfd, string newpath);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int symlinkat(string target, int newdirfd, string linkpath);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial nint readlinkat(int dirfd, string path, byte* buf, nuint size);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int utimensat(int dirfd, string path, long* times, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int futimens(int fd, long* times);
    [LibraryImport("libc", SetLastError = true)] private static partial nint fdopendir(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial byte* readdir(nint dir);
    [LibraryImport("libc", SetLastError = true)] private static partial int closedir(nint dir);

    [LibraryImport("libc", SetLastError = true)] private static partial int getrlimit(int resource, ulong* limits);
    [LibraryImport("libc", SetLastError = true)] private static partial int poll(long* fds, nuint n, int timeout);
    const int RlimitNofile = 7;

    public long DescriptorsLeft()
    {
        ulong* lim = stackalloc ulong[2];
        if (getrlimit(RlimitNofile, lim) != 0) return 0;
        long open;
        try { open = Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { open = 0; }
        return Math.Max(0, (long)Math.Min(lim[0], long.MaxValue) - open);
    }

    /// <summary>Throws the WASI errno for the failed call's host errno.</summary>
    static int Check(long r) => r >= 0 ? (int)r : throw new WasiError(ErrnoOf(Marshal.GetLastPInvokeError()));
    static void CheckRet(int r) { if (r != 0) throw new WasiError(ErrnoOf(r)); }

    public int OpenDirectory(string hostPath) => Check(openat(AtFdCwd, hostPath, ORdOnly | ODirectory | OCloExec, 0));

    public int OpenAt(int dir, string path, HostOpenFlags flags)
    {
        bool read = (flags & HostOpenFlags.Read) != 0, write = (flags & HostOpenFlags.Write) != 0;
        int host = (read && write ? ORdWr : write ? OWrOnly : ORdOnly) | ONoCtty | OCloExec;
        if ((flags & HostOpenFlags.Create) != 0) host |= OCreat;
        if ((flags & HostOpenFlags.Exclusive) != 0) host |= OExcl;
        if ((flags & HostOpenFlags.Truncate) != 0) host |= OTrunc;
        if ((flags & HostOpenFlags.Directory) != 0) host |= ODirectory;
        if ((flags & HostOpenFlags.Append) != 0) host |= OAppend;
        if ((flags & HostOpenFlags.NonBlock) != 0) host |= ONonBlock;
        if ((flags & HostOpenFlags.DataSync) != 0) host |= ODsync;
        if ((flags & HostOpenFlags.Sync) != 0) host |= OSync;
        if ((flags & HostOpenFlags.NoFollow) != 0) host |= ONoFollow;
        if ((flags & HostOpenFlags.PathOnly) != 0) host |= OPath;
        return Check(openat(dir, path, host, 0x1b6));
    }

    public void Close(int fd) => close(fd);

    public bool Readable(int fd, TimeSpan wait)
    {
        // struct pollfd { int fd; short events; short revents; }: POLLIN = 1.
        long pollfd = (uint)fd | (1L << 32);
        int r = poll(&pollfd, 1, (int)wait.TotalMilliseconds);
        return r != 0; // an error too: the read that follows reports it
    }

    public int Read(int fd, Span<byte> buf) { fixed (byte* p = buf) return Check(read(fd, p, (nuint)buf.Length)); }
    public int Write(int fd, ReadOnlySpan<byte> buf) { fixed (byte* p = buf) return Check(write(fd, p, (nuint)buf.Length)); }
    public int ReadAt(int fd, Span<byte> buf, long off) { fixed (byte* p = buf) return Check(pread(fd, p, (nuint)buf.Length, off)); }
    public int WriteAt(int fd, ReadOnlySpan<byte> buf, long off) { fixed (byte* p = buf) return Check(pwrite(fd, p, (nuint)buf.Length, off)); }

    // SEEK_SET, SEEK_CUR, SEEK_END are 0, 1, 2, as SeekOrigin's values.
    public long Seek(int fd, long off, SeekOrigin origin) { var r = lseek(fd, off, (int)origin); return r >= 0 ? r : throw new WasiError(ErrnoOf(Marshal.GetLastPInvokeError())); }
    public void Sync(int fd) => Check(fsync(fd));
    public void DataSync(int fd) => Check(fdatasync(fd));
    public void Truncate(int fd, long len) => Check(ftruncate(fd, len));
    public void Allocate(int fd, long off, long len) => CheckRet(posix_fallocate(fd, off, len));

    public void Advise(int fd, long off, long len, Advice advice) => CheckRet(posix_fadvise(fd, off, len, advice switch
    {
        Advice.Sequential => PosixFadvSequential, Advice.Random => PosixFadvRandom, Advice.WillNeed => PosixFadvWillNeed,
        Advice.DontNeed => PosixFadvDontNeed, Advice.NoReuse => PosixFadvNoReuse, _ => PosixFadvNormal,
    }));

    public void SetStatusFlags(int fd, bool append, bool nonBlock)
    {
        int host = Check(fcntl(fd, FGetFl, 0)) & ~(OAppend | ONonBlock);
        Check(fcntl(fd, FSetFl, host | (append ? OAppend : 0) | (nonBlock ? ONonBlock : 0)));
    }

    public void MakeDirectoryAt(int dir, string path) => Check(mkdirat(dir, path, 0x1ff));
    public void RemoveDirectoryAt(int dir, string path) => Check(unlinkat(dir, path, AtRemoveDir));
    public void UnlinkAt(int dir, string path) => Check(unlinkat(dir, path, 0));
    public void RenameAt(int d1, string p1, int d2, string p2) => Check(renameat(d1, p1, d2, p2));
    public void LinkAt(int d1, string p1, int d2, string p2) => Check(linkat(d1, p1, d2, p2, 0));
    public void SymlinkAt(string target, int dir, string path) => Check(symlinkat(target, dir, path));

    public byte[] ReadLinkAt(int dir, string path)
    {
        var buf = new byte[4096];
        fixed (byte* p = buf) { int n = Check(readlinkat(dir, path, p, (nuint)buf.Length)); return buf[..n]; }
    }

    public void SetTimesAt(int dir, string? path, TimeChange access, TimeChange modification, bool follow)
    {
        long* ts = stackalloc long[4];
        Split(access, ts); Split(modification, ts + 2);
        Check(path is null ? futimens(dir, ts) : utimensat(dir, path, ts, follow ? 0 : AtSymlinkNofollow));

        // struct timespec[2]; UTIME_NOW and UTIME_OMIT go in tv_nsec.
        static void Split(TimeChange t, long* spec)
        {
            (spec[0], spec[1]) = t.Kind switch
            {
                TimeChangeKind.Now => (0, UtimeNow),
                TimeChangeKind.Omit => (0, UtimeOmit),
                _ => (t.Nanoseconds / 1_000_000_000, t.Nanoseconds % 1_000_000_000),
            };
        }
    }

    public HostStat StatAt(int dir, string? path, bool follow)
    {
        byte* b = stackalloc byte[256];
        int flags = (path is null ? AtEmptyPath : 0) | (follow ? 0 : AtSymlinkNofollow);
        Check(statx(dir, path ?? "", flags, 0x7ff, b));
        // struct statx: stx_nlink u32 @16, stx_mode u16 @28, stx_ino @32, stx_size @40, stx_atime @64, stx_ctime @96,
        // stx_mtime @112 (each { s64 sec; u32 nsec; }), stx_dev_major/minor u32 @136/@140.
        var s = new ReadOnlySpan<byte>(b, 256);
        ulong dev = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(s[140..]);
        var type = (BinaryPrimitives.ReadUInt16LittleEndian(s[28..]) & SIfMt) switch
        {
            SIfDir => FileType.Directory, SIfReg => FileType.RegularFile, SIfLnk => FileType.SymbolicLink,
            SIfChr => FileType.CharacterDevice, SIfBlk => FileType.BlockDevice, SIfSock => FileType.SocketStream,
            _ => FileType.Unknown,
        };
        return new HostStat(dev, BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), type,
            BinaryPrimitives.ReadUInt32LittleEndian(s[16..]), BinaryPrimitives.ReadUInt64LittleEndian(s[40..]), Time(s[64..]), Time(s[112..]), Time(s[96..]));

        static ulong Time(ReadOnlySpan<byte> t) => (ulong)(BinaryPrimitives.ReadInt64LittleEndian(t) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(t[8..]));
    }

    public List<HostDirEntry> ReadDirectory(int dirFd)
    {
        int fd = Check(openat(dirFd, ".", ORdOnly | ODirectory | OCloExec, 0));
        nint d = fdopendir(fd);
        if (d == 0) { close(fd); Check(-1); }
        var list = new List<HostDirEntry>();
        try
        {
            for (byte* e; (e = readdir(d)) != null;)
            {
                // struct dirent64: d_ino u64 @0, d_off @8, d_reclen u16 @16, d_type u8 @18, d_name @19
                var name = new ReadOnlySpan<byte>(e + 19, 256);
                name = name[..name.IndexOf((byte)0)];
                var type = e[18] switch { 4 => FileType.Directory, 8 => FileType.RegularFile, 10 => FileType.SymbolicLink,
                    2 => FileType.CharacterDevice, 6 => FileType.BlockDevice, 12 => FileType.SocketStream, _ => FileType.Unknown };
                list.Add(new HostDirEntry(name.ToArray(), *(ulong*)e, type));
            }
        }
        finally { closedir(d); }
        return list;
    }

    /// <summary>The preview1 errno for a Linux errno value.</summary>
    static Errno ErrnoOf(int e) => e switch
    {
        1 => Errno.Perm, 2 => Errno.NoEnt, 3 => Errno.Srch, 4 => Errno.Intr, 5 => Errno.Io, 6 => Errno.Nxio,
        7 => Errno.TooBig, 8 => Errno.NoExec, 9 => Errno.Badf, 10 => Errno.Child, 11 => Errno.Again, 12 => Errno.NoMem,
        13 => Errno.Acces, 14 => Errno.Fault, 16 => Errno.Busy, 17 => Errno.Exist, 18 => Errno.Xdev, 19 => Errno.NoDev,
        20 => Errno.NotDir, 21 => Errno.IsDir, 22 => Errno.Inval, 23 => Errno.Nfile, 24 => Errno.Mfile, 25 => Errno.NotTy,
        26 => Errno.TxtBsy, 27 => Errno.Fbig, 28 => Errno.NoSpc, 29 => Errno.Spipe, 30 => Errno.Rofs, 31 => Errno.Mlink,
        32 => Errno.Pipe, 33 => Errno.Dom, 34 => Errno.Range, 35 => Errno.Deadlk, 36 => Errno.NameTooLong,
        37 => Errno.NoLck, 38 => Errno.NoSys, 39 => Errno.NotEmpty, 40 => Errno.Loop, 61 => Errno.NoEnt /* ENODATA */,
        75 => Errno.Overflow, 84 => Errno.Ilseq, 88 => Errno.NotSock, 95 => Errno.NotSup, 104 => Errno.ConnReset,
        107 => Errno.NotConn, 110 => Errno.TimedOut, 111 => Errno.ConnRefused, 122 => Errno.Dquot,
        _ => Errno.Io,
    };
}
