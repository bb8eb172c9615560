using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.8 Memory instances (meminst ::= { TYPE memtype, BYTES byte* }), kept in unmanaged memory:
// the whole maximum is reserved once with mmap(PROT_NONE) and pages are committed with mprotect as the
// memory grows, so the base address never moves and compiled code may hold it. The base and the current length
// also sit in a pinned cell that native code reads for its bounds checks. Imperative on purpose.
// A shared memory is one object that stores on several threads import: its growth is serialized by a lock (the
// length is published after the pages are committed), its atomics and waiters are in Memory.Shared.cs. A memory
// that is not shared takes no lock.

/// <summary>meminst: a linear memory. <see cref="Base"/> is stable for the memory's lifetime.</summary>
public sealed unsafe partial class MemInst : IDisposable
{
    public MemType Type { get; private set; }
    /// <summary>The first byte; never moves.</summary>
    public nint Base { get => (nint)cell[0]; private set => cell[0] = (ulong)value; }
    /// <summary>The current size in bytes (|BYTES|).</summary>
    public ulong Length { get => cell[1]; private set => cell[1] = value; }
    /// <summary>[0] the base address, [1] the length in bytes: what native code reads.</summary>
    readonly ulong[] cell = GC.AllocateArray<ulong>(2, pinned: true);
    /// <summary>How many bytes are reserved: the memory can never grow beyond.</summary>
    public ulong Reserved { get; }
    ulong committed;
    /// <summary>The claims of the store that made the memory, which its bytes count against.</summary>
    readonly StoreClaims? claims;

    public ulong PageSize => 1UL << Type.PageSizeLog2;
    public ulong Pages => Length >> Type.PageSizeLog2;

    /// <summary>
    /// $allocmem: reserves up to the maximum (capped by <paramref name="cap64"/> for memory64) and commits the minimum,
    /// counted in <paramref name="claims"/> (none for a memory no store limits).
    /// </summary>
    internal MemInst(MemType type, ulong cap64, StoreClaims? claims)
    {
        Type = type;
        var log = type.PageSizeLog2;
        var addrLimit = type.AddrType == AddrType.I32 ? 1UL << 32 : cap64;
        var maxPages = type.Limits.Max ?? ulong.MaxValue;
        Reserved = maxPages >= (addrLimit >> log) ? addrLimit : maxPages << log;
        if (type.Limits.Min > Reserved >> log) throw new ExhaustionException(TrapCode.OutOfMemory);
        claims?.Memory(type.Limits.Min << log);
        this.claims = claims;
        if (type.Shared) growing = new object();
        if (Reserved > 0)
        {
            // Each reservation costs the process mappings, of which the OS allows only so many (vm.max_map_count)
            // before the runtime itself fails. Unreachable memories give theirs back only when finalized.
            if (Volatile.Read(ref live) >= collectAt)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collectAt = Math.Max(SoftLimit, Volatile.Read(ref live) + SoftLimit / 4);
            }
            if (Volatile.Read(ref live) >= HardLimit) throw new ExhaustionException(TrapCode.OutOfMemory);
            Base = Native.Reserve(Reserved);
            if (Base == 0) { GC.Collect(); GC.WaitForPendingFinalizers(); Base = Native.Reserve(Reserved); }
            if (Base == 0) throw new ExhaustionException(TrapCode.OutOfMemory);
            Interlocked.Increment(ref live);
        }
        if (!Commit(type.Limits.Min << log)) { Dispose(); throw new ExhaustionException(TrapCode.OutOfMemory); }
    }

    bool Commit(ulong length)
    {
        if (length > committed)
        {
            var want = Math.Min((length + Native.PageSize - 1) & ~(Native.PageSize - 1), Reserved);
            if (!Native.Commit(Base + (nint)committed, want - committed)) return false;
            committed = want;
        }
        // Published after the commit: a thread that sees the new length finds its pages accessible.
        Volatile.Write(ref cell[1], length);
        return true;
    }

    /// <summary>Held while a shared memory grows (null for a memory that is not shared: one thread grows it).</summary>
    readonly object? growing;

    /// <summary>
    /// $growmem: grows by <paramref name="n"/> pages and gives the size it had before; null (memory.grow gives -1) past
    /// the maximum or the reservation. On a shared memory, concurrent grows happen one after the other.
    /// </summary>
    public ulong? Grow(ulong n)
    {
        if (growing is null) return GrowBy(n);
        lock (growing) return GrowBy(n);
    }

    ulong? GrowBy(ulong n)
    {
        var log = Type.PageSizeLog2;
        var pages = Pages;
        var max = Math.Min(Type.Limits.Max ?? ulong.MaxValue, Reserved >> log);
        if (n > max - pages) return null;
        if (claims is not null && !claims.TryMemoryBytes(n << log)) return null;
        if (!Commit((pages + n) << log)) { claims?.ReleaseMemoryBytes(n << log); return null; }
        Type = Type with { Limits = Type.Limits with { Min = pages + n } };
        return pages;
    }

    /// <summary>The bytes [i, i+n), or null when out of bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool InBounds(ulong i, ulong n) => n <= Length && i <= Length - n;

    /// <summary>The current contents. The span does not keep the memory alive: its pages are released when the
    /// memory is collected, so a caller whose last use of the memory is this call keeps it alive past the span's last
    /// use (<see cref="GC.KeepAlive"/>).</summary>
    public Span<byte> Span(ulong offset, int length) =>
        InBounds(offset, (ulong)length) ? new Span<byte>((byte*)Base + offset, length) : throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T Read<T>(ulong ea) where T : unmanaged => Unsafe.ReadUnaligned<T>((byte*)Base + ea);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write<T>(ulong ea, T v) where T : unmanaged => Unsafe.WriteUnaligned((byte*)Base + ea, v);

    internal byte* Pointer(ulong ea) => (byte*)Base + ea;

    /// <summary>The cell holding the base address and the current length; its address never changes.</summary>
    internal ulong* Cell => (ulong*)Unsafe.AsPointer(ref cell[0]);

    /// <summary>Sets <paramref name="n"/> bytes from <paramref name="d"/> to <paramref name="value"/> (in bounds: the caller checked).</summary>
    internal void Fill(ulong d, byte value, ulong n)
    {
        for (ulong done = 0; done < n;)
        {
            var chunk = (int)Math.Min(n - done, int.MaxValue);
            new Span<byte>(Pointer(d + done), chunk).Fill(value);
            done += (ulong)chunk;
        }
    }

    /// <summary>Copies <paramref name="n"/> bytes of <paramref name="src"/> from <paramref name="s"/> to <paramref name="d"/> (in bounds; may overlap).</summary>
    internal void Copy(ulong d, MemInst src, ulong s, ulong n) => Buffer.MemoryCopy(src.Pointer(s), Pointer(d), (long)n, (long)n);

    /// <summary>Copies <paramref name="n"/> bytes of <paramref name="data"/> from <paramref name="s"/> to <paramref name="d"/> (in bounds).</summary>
    internal void Init(ulong d, byte[] data, ulong s, ulong n) => data.AsSpan((int)s, (int)n).CopyTo(new Span<byte>(Pointer(d), (int)n));

    /// <summary>Releases the memory now rather than when it is collected; it is empty afterwards.</summary>
    public void Dispose()
    {
        Release();
        Length = 0; committed = 0;
        GC.SuppressFinalize(this);
    }

    ~MemInst() => Release();

    void Release()
    {
        if (Base == 0) return;
        Native.Release(Base, Reserved);
        Base = 0;
        Interlocked.Decrement(ref live);
    }

    /// <summary>Reserved memories alive in the process, and the counts at which to collect and to refuse more.</summary>
    static int live, collectAt = SoftLimit;
    const int SoftLimit = 4096, HardLimit = 16384;

    /// <summary>The operating system's virtual memory, as this machine has it (<see cref="VirtualMemory.Current"/>).</summary>
    static IVirtualMemory Native => VirtualMemory.Current;
}

/// <summary>
/// What linear memory needs of the operating system: address space reserved without backing, committed as the memory
/// grows, released at the end. A port to another OS is one implementation of this.
/// </summary>
internal interface IVirtualMemory
{
    ulong PageSize { get; }

    /// <summary>Reserves <paramref name="bytes"/> of address space, inaccessible; 0 if there is none to be had.</summary>
    nint Reserve(ulong bytes);

    /// <summary>Makes <paramref name="bytes"/> at <paramref name="at"/> readable and writable (zero-filled); false if the OS refuses.</summary>
    bool Commit(nint at, ulong bytes);

    void Release(nint at, ulong bytes);
}

/// <summary>The implementation for this machine: Linux only, else a <see cref="PlatformNotSupportedException"/> at the first memory.</summary>
internal static class VirtualMemory
{
    static IVirtualMemory? current;

    public static IVirtualMemory Current => current ??= OperatingSystem.IsLinux()
        ? new LinuxVirtualMemory()
        : throw new PlatformNotSupportedException(
            $"linear memory is reserved with Linux's mmap; this is {RuntimeInformation.OSDescription} (IVirtualMemory has only a Linux implementation)");
}

/// <summary>POSIX mmap(PROT_NONE, MAP_NORESERVE) to reserve, mprotect to commit, munmap to release, with Linux's constants.</summary>
internal sealed class LinuxVirtualMemory : IVirtualMemory
{
    const int ProtNone = 0, ProtRead = 1, ProtWrite = 2;
    const int MapPrivate = 0x02, MapAnonymous = 0x20, MapNoReserve = 0x4000;

    public ulong PageSize { get; } = (ulong)Environment.SystemPageSize;

    [DllImport("libc", SetLastError = true)] static extern nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);
    [DllImport("libc", SetLastError = true)] static extern int mprotect(nint addr, nuint length, int prot);
    [DllImport("libc", SetLastError = true)] static extern int munmap(nint addr, nuint length);

    public nint Reserve(ulong bytes)
    {
        var p = mmap(0, (nuint)bytes, ProtNone, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        return p == -1 ? 0 : p;
    }

    public bool Commit(nint at, ulong bytes) => bytes == 0 || mprotect(at, (nuint)bytes, ProtRead | ProtWrite) == 0;

    public void Release(nint at, ulong bytes) => munmap(at, (nuint)bytes);
}
