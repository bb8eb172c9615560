namespace Spec.Wasi;

// What WASI needs of the host's file system, said in WASI's terms: lookups relative to a directory descriptor (every
// path the guest names is resolved under a descriptor inside its preopen, so no joined host path ever reaches the
// operating system), files read and written by descriptor, failures as WASI errnos (a WasiError). Host descriptors
// are ints the implementation hands out. A port to another OS is one implementation of IHostFiles; LinuxHostFiles is
// the one built and tested.

/// <summary>How <see cref="IHostFiles.OpenAt"/> opens: WASI's oflags and fdflags, and what the sandbox adds.</summary>
[Flags]
internal enum HostOpenFlags
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,
    Create = 1 << 2,
    Exclusive = 1 << 3,
    Truncate = 1 << 4,
    /// <summary>Fails unless the path names a directory.</summary>
    Directory = 1 << 5,
    Append = 1 << 6,
    NonBlock = 1 << 7,
    DataSync = 1 << 8,
    Sync = 1 << 9,
    /// <summary>Fails on a symbolic link instead of following it: the sandbox follows links itself.</summary>
    NoFollow = 1 << 10,
    /// <summary>A descriptor that only anchors lookups (neither read nor written), as the sandbox's walk opens.</summary>
    PathOnly = 1 << 11,
}

/// <summary>What WASI's filestat needs of the host's stat record; times in nanoseconds since the epoch.</summary>
internal readonly record struct HostStat(ulong Dev, ulong Ino, FileType Type, ulong Nlink, ulong Size, ulong Atim, ulong Mtim, ulong Ctim)
{
    public bool IsDir => Type == FileType.Directory;
    public bool IsLink => Type == FileType.SymbolicLink;

    public FileStat ToWasi() => new(Dev, Ino, Type, Nlink, Size, Atim, Mtim, Ctim);
}

/// <summary>One timestamp of a set-times call: set to a time, to now, or left as it is (fstflags).</summary>
internal readonly record struct TimeChange(TimeChangeKind Kind, long Nanoseconds)
{
    public static readonly TimeChange Now = new(TimeChangeKind.Now, 0), Omit = new(TimeChangeKind.Omit, 0);
    public static TimeChange At(long nanoseconds) => new(TimeChangeKind.At, nanoseconds);
}

internal enum TimeChangeKind { At, Now, Omit }

/// <summary>A directory entry as the host lists it.</summary>
internal readonly record struct HostDirEntry(byte[] Name, ulong Ino, FileType Type);

/// <summary>The host's file system, as much of it as WASI preview1 reaches. Every call throws <see cref="WasiError"/> on failure.</summary>
internal interface IHostFiles
{
    /// <summary>A directory of the host, by its absolute path: a preopen.</summary>
    int OpenDirectory(string hostPath);

    /// <summary><paramref name="path"/> (one component or more, never absolute) under directory <paramref name="dir"/>.</summary>
    int OpenAt(int dir, string path, HostOpenFlags flags);

    void Close(int fd);

    /// <summary>Whether <paramref name="fd"/> has data to read (or its end, or an error) within <paramref name="wait"/>.</summary>
    bool Readable(int fd, TimeSpan wait);

    int Read(int fd, Span<byte> buffer);
    int Write(int fd, ReadOnlySpan<byte> buffer);
    int ReadAt(int fd, Span<byte> buffer, long offset);
    int WriteAt(int fd, ReadOnlySpan<byte> buffer, long offset);
    long Seek(int fd, long offset, SeekOrigin origin);
    void Sync(int fd);
    void DataSync(int fd);
    void Truncate(int fd, long length);
    void Allocate(int fd, long offset, long length);
    void Advise(int fd, long offset, long length, Advice advice);

    /// <summary>Sets the two fdflags an open descriptor can change.</summary>
    void SetStatusFlags(int fd, bool append, bool nonBlock);

    /// <summary>The stat of <paramref name="path"/> under <paramref name="dir"/>, or of <paramref name="dir"/> itself when null.</summary>
    HostStat StatAt(int dir, string? path, bool follow);

    /// <summary><see cref="StatAt"/>, or null when nothing is there.</summary>
    HostStat? TryStatAt(int dir, string path, bool follow)
    {
        try { return StatAt(dir, path, follow); }
        catch (WasiError e) when (e.Errno == Errno.NoEnt) { return null; }
    }

    void MakeDirectoryAt(int dir, string path);
    void RemoveDirectoryAt(int dir, string path);
    void UnlinkAt(int dir, string path);
    void RenameAt(int fromDir, string from, int toDir, string to);
    void LinkAt(int fromDir, string from, int toDir, string to);
    void SymlinkAt(string target, int dir, string path);
    byte[] ReadLinkAt(int dir, string path);

    /// <summary>Sets the access and modification times of <paramref name="path"/> under <paramref name="dir"/>, or of <paramref name="dir"/> itself when null.</summary>
    void SetTimesAt(int dir, string? path, TimeChange access, TimeChange modification, bool follow);

    /// <summary>A directory's entries in the host's order, "." and ".." included.</summary>
    List<HostDirEntry> ReadDirectory(int dir);

    /// <summary>How many more descriptors the process may open.</summary>
    long DescriptorsLeft();
}

/// <summary>The implementation for this machine: Linux only, else a <see cref="PlatformNotSupportedException"/> at the first WASI host.</summary>
internal static class HostFiles
{
    static IHostFiles? current;

    public static IHostFiles Current => current ??= OperatingSystem.IsLinux()
        ? new LinuxHostFiles()
        : throw new PlatformNotSupportedException(
            $"WASI's file system calls are Linux's; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription} (IHostFiles has only a Linux implementation)");
}
