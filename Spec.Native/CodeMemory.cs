using System.Runtime.InteropServices;

namespace Spec.Native;

// Executable memory for JIT code, never writable and executable at once (W^X): pages are mapped read-write, the
// code copied in, then the pages turned read-execute for good. The operating system's part is IPages; Linux on
// x86-64 is the one implementation, so a port is one class.

/// <summary>A block of machine code that can be called; its pages are read-execute only.</summary>
public sealed class CodeMemory : IDisposable
{
    readonly IPages pages;
    readonly nuint mapped;
    nint address;

    CodeMemory(IPages pages, nint address, nuint mapped, int length)
    {
        this.pages = pages;
        this.address = address;
        this.mapped = mapped;
        Length = length;
    }

    /// <summary>Maps pages read-write, copies <paramref name="code"/> in, then makes them read-execute.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux on x86-64.</exception>
    public static CodeMemory Create(ReadOnlySpan<byte> code) => Create(code, Pages.Current);

    internal static unsafe CodeMemory Create(ReadOnlySpan<byte> code, IPages pages)
    {
        var (at, size) = Map(code.Length, pages);
        code.CopyTo(new Span<byte>((void*)at, code.Length));
        return Seal(pages, at, size, code.Length);
    }

    /// <summary>Code assembled in parts, each copied to its place (in order), the gaps between them filled with
    /// <paramref name="fill"/>: no copy joins them first.</summary>
    internal static unsafe CodeMemory Create(int length, IEnumerable<(int At, ReadOnlyMemory<byte> Code)> parts, byte fill)
    {
        var pages = Pages.Current;
        var (at, size) = Map(length, pages);
        var block = new Span<byte>((void*)at, length);
        int end = 0;
        foreach (var (offset, code) in parts)
        {
            block[end..offset].Fill(fill);
            code.Span.CopyTo(block[offset..]);
            end = offset + code.Length;
        }
        block[end..].Fill(fill);
        return Seal(pages, at, size, length);
    }

    // Whole pages: protection is per page, and at least one page so that an empty block still has an address.
    static (nint At, nuint Size) Map(int length, IPages pages)
    {
        nuint page = (nuint)Environment.SystemPageSize;
        nuint size = Math.Max(page, ((nuint)length + page - 1) / page * page);
        return (pages.Map(size), size);
    }

    static CodeMemory Seal(IPages pages, nint at, nuint size, int length)
    {
        if (!pages.Protect(at, size, executable: true))
        {
            int errno = Marshal.GetLastPInvokeError();
            pages.Unmap(at, size);
            throw new InvalidOperationException($"cannot make code pages executable (errno {errno})");
        }
        return new CodeMemory(pages, at, size, length);
    }

    /// <summary>Where the code starts: the address to call.</summary>
    public nint Address => address != 0 ? address : throw new ObjectDisposedException(nameof(CodeMemory));

    /// <summary>The code's length in bytes (the mapping is rounded up to whole pages).</summary>
    public int Length { get; }

    /// <summary>Unmaps the code; it must not be running. Disposing twice does nothing.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~CodeMemory() => Release();

    void Release()
    {
        nint at = Interlocked.Exchange(ref address, 0);
        if (at != 0) pages.Unmap(at, mapped);
    }
}

/// <summary>The operating system's page mapping, as much of it as <see cref="CodeMemory"/> needs.</summary>
internal interface IPages
{
    /// <summary>Maps <paramref name="size"/> bytes (whole pages) read-write; throws when it cannot.</summary>
    nint Map(nuint size);

    /// <summary>Makes the pages read-execute (<paramref name="executable"/>) or read-write; false on failure (errno in the last P/Invoke error).</summary>
    bool Protect(nint address, nuint size, bool executable);

    void Unmap(nint address, nuint size);
}

internal static class Pages
{
    static IPages? current;

    /// <summary>The implementation for this machine.</summary>
    public static IPages Current => current ??= OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        ? new LinuxPages()
        : throw new PlatformNotSupportedException(
            $"native code needs Linux on x86-64; this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture} "
            + "(the emitter is x86-64 only, and executable memory has only a Linux implementation of IPages)");
}

/// <summary>mmap, mprotect and munmap from libc.</summary>
internal sealed partial class LinuxPages : IPages
{
    const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    const int MapPrivate = 0x02, MapAnonymous = 0x20;

    public nint Map(nuint size)
    {
        nint at = mmap(0, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        // MAP_FAILED is (void*)-1.
        if (at == -1) throw new OutOfMemoryException($"mmap of {size} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        return at;
    }

    public bool Protect(nint address, nuint size, bool executable) =>
        mprotect(address, size, executable ? ProtRead | ProtExec : ProtRead | ProtWrite) == 0;

    public void Unmap(nint address, nuint size) => munmap(address, size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(nint addr, nuint length, int prot);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint addr, nuint length);
}
