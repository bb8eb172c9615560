using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;
using Spec.Native.X64;

namespace Spec.Native.Tests;

// Executable memory: W^X on the real system (read from /proc/self/maps), and the mapping protocol through a
// recording IPages.

[NonParallelizable]
public unsafe class CodeMemoryTests
{
    // The permissions of the mapping that contains address, from /proc/self/maps ("r-xp"), or null if none does.
    static (ulong Start, ulong End, string Perms)? MappingOf(nint address)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var fields = line.Split(' ', 3);
            var range = fields[0].Split('-');
            ulong start = Convert.ToUInt64(range[0], 16), end = Convert.ToUInt64(range[1], 16);
            if ((ulong)address >= start && (ulong)address < end) return (start, end, fields[1]);
        }
        return null;
    }

    [Test]
    public void Code_runs_from_pages_that_are_readable_and_executable_but_never_writable()
    {
        Assume.That(OperatingSystem.IsLinux(), "/proc/self/maps is Linux's");
        var a = new Assembler();
        a.Lea(Width.W64, Reg.Rax, Mem.At(Reg.Rdi, Reg.Rsi, 1, 1));
        a.Ret();
        var bytes = a.ToArray();
        using var code = CodeMemory.Create(bytes);
        Assert.That(code.Length, Is.EqualTo(bytes.Length));
        Assert.That(new ReadOnlySpan<byte>((void*)code.Address, code.Length).ToArray(), Is.EqualTo(bytes));
        Assert.That(((delegate* unmanaged<long, long, long>)code.Address)(20, 21), Is.EqualTo(42));
        var mapping = MappingOf(code.Address);
        Assert.That(mapping, Is.Not.Null);
        Assert.That(mapping!.Value.Perms, Is.EqualTo("r-xp"));
    }

    [Test]
    public void Dispose_unmaps_once_and_the_address_is_gone()
    {
        Assume.That(OperatingSystem.IsLinux(), "/proc/self/maps is Linux's");
        // A mapping of its own size (three pages and a bit), so that it is recognisable in the maps.
        var code = CodeMemory.Create(new byte[3 * Environment.SystemPageSize + 1]);
        nint at = code.Address;
        var before = MappingOf(at);
        Assert.That(before?.Perms, Is.EqualTo("r-xp"));
        code.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _ = code.Address);
        Assert.DoesNotThrow(code.Dispose);
        var after = MappingOf(at);
        Assert.That(after is null || after.Value.Perms != "r-xp" || after.Value.Start != before!.Value.Start || after.Value.End != before.Value.End,
            $"the mapping at 0x{at:x} is still there: {after}");
    }

    /// <summary>Records the calls and backs the "pages" with native memory.</summary>
    sealed class RecordingPages(bool protectSucceeds = true) : IPages
    {
        public readonly List<string> Calls = [];

        public nint Map(nuint size)
        {
            Calls.Add($"map {size}");
            return (nint)NativeMemory.AlignedAlloc(size, (nuint)Environment.SystemPageSize);
        }

        public bool Protect(nint address, nuint size, bool executable)
        {
            Calls.Add($"protect {size} {(executable ? "rx" : "rw")}");
            return protectSucceeds;
        }

        public void Unmap(nint address, nuint size)
        {
            Calls.Add($"unmap {size}");
            NativeMemory.AlignedFree((void*)address);
        }
    }

    [Test]
    public void Pages_are_mapped_whole_filled_then_made_executable_and_unmapped_once()
    {
        int page = Environment.SystemPageSize;
        foreach (var (length, pages) in new[] { (0, 1), (1, 1), (page, 1), (page + 1, 2), (5 * page - 3, 5) })
        {
            var recorder = new RecordingPages();
            var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            var code = CodeMemory.Create(bytes, recorder);
            Assert.That(new ReadOnlySpan<byte>((void*)code.Address, length).ToArray(), Is.EqualTo(bytes));
            Assert.That(code.Length, Is.EqualTo(length));
            code.Dispose();
            code.Dispose();
            string size = $"{pages * page}";
            Assert.That(recorder.Calls, Is.EqualTo(new[] { $"map {size}", $"protect {size} rx", $"unmap {size}" }), $"{length} bytes");
        }
    }

    [Test]
    public void A_failed_protect_unmaps_and_throws()
    {
        var recorder = new RecordingPages(protectSucceeds: false);
        Assert.Throws<InvalidOperationException>(() => CodeMemory.Create([0xC3], recorder));
        Assert.That(recorder.Calls, Is.EqualTo(new[] { $"map {Environment.SystemPageSize}", $"protect {Environment.SystemPageSize} rx", $"unmap {Environment.SystemPageSize}" }));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Abandon(IPages pages) => CodeMemory.Create([0xC3], pages);

    [Test]
    public void An_abandoned_block_is_unmapped_by_its_finalizer()
    {
        var recorder = new RecordingPages();
        Abandon(recorder);
        for (int i = 0; i < 10 && recorder.Calls.Count < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.That(recorder.Calls, Has.Count.EqualTo(3));
        Assert.That(recorder.Calls[2], Does.StartWith("unmap"));
    }
}
