using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Spec.Wasi;

// The host's file system through libc's descriptor-relative calls (openat, fstatat, mkdirat, ...). .NET has no
// directory-relative file operations, and the sandbox needs them: every lookup starts from a directory
// descriptor inside the preopen, so no joined host path is ever handed to the operating system. Linux only.

internal static unsafe partial class Posix
{
    public const int AtFdCwd = -100, AtSymlinkNofollow = 0x100, AtRemoveDir = 0x200, AtEmptyPath = 0x1000;
    public const int ORdOnly = 0, OWrOnly = 1, ORdWr = 2, OCreat = 0x40, OExcl = 0x80, ONoCtty = 0x100, OTrunc = 0x200,
        OAppend = 0x400, ONonBlock = 0x800, ODsync = 0x1000, OSync = 0x101000, OCloExec = 0x80000, OPath = 0x200000;
    static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    public static readonly int ODirectory = Arm ? 0x4000 : 0x10000, ONoFollow = Arm ? 0x8000 : 0x20000;
    public const int SIfMt = 0xF000, SIfDir = 0x4000, SIfReg = 0x8000, SIfLnk = 0xA000, SIfChr = 0x2000, SIfBlk = 0x6000,
        SIfSock = 0xC000, SIfIfo = 0x1000;
    public const long UtimeNow = (1L << 30) - 1, UtimeOmit = (1L << 30) - 2;
    const int FGetFl = 3, FSetFl = 4;

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

    /// <summary>How many more descriptors the process may open: its soft limit less those it has open.</summary>
    public static long DescriptorsLeft()
    {
        ulong* lim = stackalloc ulong[2];
        if (getrlimit(RlimitNofile, lim) != 0) return 0;
        long open;
        try { open = Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { open = 0; }
        return Math.Max(0, (long)Math.Min(lim[0], long.MaxValue) - open);
    }

    /// <summary>Throws the WASI errno for the failed call's host errno.</summary>
    static int Check(long r) => r >= 0 ? (int)r : throw new WasiError(Errnos.FromHost(Marshal.GetLastPInvokeError()));
    static void CheckRet(int r) { if (r != 0) throw new WasiError(Errnos.FromHost(r)); }

    public static int OpenAt(int dir, string path, int flags, int mode = 0x1b6) => Check(openat(dir, path, flags | OCloExec, mode));
    public static void Close(int fd) => close(fd);

    /// <summary>Whether <paramref name="fd"/> has data to read (or its end, or an error) within <paramref name="wait"/>.</summary>
    public static bool Readable(int fd, TimeSpan wait)
    {
        // struct pollfd { int fd; short events; short revents; }: POLLIN = 1.
        long pollfd = (uint)fd | (1L << 32);
        int r = poll(&pollfd, 1, (int)wait.TotalMilliseconds);
        return r != 0; // an error too: the read that follows reports it
    }

    public static int Read(int fd, Span<byte> buf) { fixed (byte* p = buf) return Check(read(fd, p, (nuint)buf.Length)); }
    public static int Write(int fd, ReadOnlySpan<byte> buf) { fixed (byte* p = buf) return Check(write(fd, p, (nuint)buf.Length)); }
    public static int PRead(int fd, Span<byte> buf, long off) { fixed (byte* p = buf) return Check(pread(fd, p, (nuint)buf.Length, off)); }
    public static int PWrite(int fd, ReadOnlySpan<byte> buf, long off) { fixed (byte* p = buf) return Check(pwrite(fd, p, (nuint)buf.Length, off)); }
    public static long Seek(int fd, long off, int whence) { var r = lseek(fd, off, whence); return r >= 0 ? r : throw new WasiError(Errnos.FromHost(Marshal.GetLastPInvokeError())); }
    public static void Sync(int fd) => Check(fsync(fd));
    public static void DataSync(int fd) => Check(fdatasync(fd));
    public static void Truncate(int fd, long len) => Check(ftruncate(fd, len));
    public static void Allocate(int fd, long off, long len) => CheckRet(posix_fallocate(fd, off, len));
    public static void Advise(int fd, long off, long len, int advice) => CheckRet(posix_fadvise(fd, off, len, advice));
    public static int GetFlags(int fd) => Check(fcntl(fd, FGetFl, 0));
    public static void SetFlags(int fd, int flags) => Check(fcntl(fd, FSetFl, flags));
    public static void MkdirAt(int dir, string path) => Check(mkdirat(dir, path, 0x1ff));
    public static void UnlinkAt(int dir, string path, int flags) => Check(unlinkat(dir, path, flags));
    public static void RenameAt(int d1, string p1, int d2, string p2) => Check(renameat(d1, p1, d2, p2));
    public static void LinkAt(int d1, string p1, int d2, string p2) => Check(linkat(d1, p1, d2, p2, 0));
    public static void SymlinkAt(string target, int dir, string path) => Check(symlinkat(target, dir, path));

    public static byte[] ReadLinkAt(int dir, string path)
    {
        var buf = new byte[4096];
        fixed (byte* p = buf) { int n = Check(readlinkat(dir, path, p, (nuint)buf.Length)); return buf[..n]; }
    }

    /// <summary>utimensat/futimens with (atime, mtime) given as nanoseconds or UTIME_NOW/UTIME_OMIT.</summary>
    public static void SetTimes(int dir, string? path, long atimNs, long mtimNs, bool nofollow)
    {
        long* ts = stackalloc long[4];
        Split(atimNs, ts); Split(mtimNs, ts + 2);
        Check(path is null ? futimens(dir, ts) : utimensat(dir, path, ts, nofollow ? AtSymlinkNofollow : 0));

        static void Split(long ns, long* t)
        {
            if (ns is UtimeNow or UtimeOmit) { t[0] = 0; t[1] = ns; }
            else { t[0] = ns / 1_000_000_000; t[1] = ns % 1_000_000_000; }
        }
    }

    /// <summary>The host's stat record of interest to WASI.</summary>
    internal readonly record struct Stat(ulong Dev, ulong Ino, int Mode, ulong Nlink, ulong Size, ulong Atim, ulong Mtim, ulong Ctim)
    {
        public bool IsDir => (Mode & SIfMt) == SIfDir;
        public bool IsLink => (Mode & SIfMt) == SIfLnk;

        public FileType Type => (Mode & SIfMt) switch
        {
            SIfDir => FileType.Directory, SIfReg => FileType.RegularFile, SIfLnk => FileType.SymbolicLink,
            SIfChr => FileType.CharacterDevice, SIfBlk => FileType.BlockDevice, SIfSock => FileType.SocketStream,
            _ => FileType.Unknown,
        };

        public FileStat ToWasi() => new(Dev, Ino, Type, Nlink, Size, Atim, Mtim, Ctim);
    }

    /// <summary>statx of <paramref name="path"/> under <paramref name="dir"/> (null: the descriptor itself).</summary>
    public static Stat StatAt(int dir, string? path, bool follow)
    {
        byte* b = stackalloc byte[256];
        int flags = (path is null ? AtEmptyPath : 0) | (follow ? 0 : AtSymlinkNofollow);
        Check(statx(dir, path ?? "", flags, 0x7ff, b));
        var s = new ReadOnlySpan<byte>(b, 256);
        ulong dev = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(s[140..]);
        return new Stat(dev, BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), BinaryPrimitives.ReadUInt16LittleEndian(s[28..]),
            BinaryPrimitives.ReadUInt32LittleEndian(s[16..]), BinaryPrimitives.ReadUInt64LittleEndian(s[40..]), Time(s[64..]), Time(s[112..]), Time(s[96..]));

        static ulong Time(ReadOnlySpan<byte> t) => (ulong)(BinaryPrimitives.ReadInt64LittleEndian(t) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(t[8..]));
    }

    /// <summary>Stat, or null when nothing is there (ENOENT).</summary>
    public static Stat? TryStatAt(int dir, string path, bool follow)
    {
        try { return StatAt(dir, path, follow); }
        catch (WasiError e) when (e.Errno == Errno.NoEnt) { return null; }
    }

    /// <summary>A directory's entries in the host's order: (name, inode, type), including "." and "..".</summary>
    public static List<(byte[] Name, ulong Ino, FileType Type)> ReadDir(int dirFd)
    {
        int fd = OpenAt(dirFd, ".", ORdOnly | ODirectory);
        nint d = fdopendir(fd);
        if (d == 0) { close(fd); Check(-1); }
        var list = new List<(byte[], ulong, FileType)>();
        try
        {
            for (byte* e; (e = readdir(d)) != null;)
            {
                // struct dirent64: d_ino u64 @0, d_off @8, d_reclen u16 @16, d_type u8 @18, d_name @19
                var name = new ReadOnlySpan<byte>(e + 19, 256);
                name = name[..name.IndexOf((byte)0)];
                var type = e[18] switch { 4 => FileType.Directory, 8 => FileType.RegularFile, 10 => FileType.SymbolicLink,
                    2 => FileType.CharacterDevice, 6 => FileType.BlockDevice, 12 => FileType.SocketStream, _ => FileType.Unknown };
                list.Add((name.ToArray(), *(ulong*)e, type));
            }
        }
        finally { closedir(d); }
        return list;
    }
}
