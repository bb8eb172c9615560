using NUnit.Framework;
using Spec.Execution;

namespace Spec.Wasi.Tests;

/// <summary>
/// Every WASI function called with random arguments (garbage pointers and lengths, huge counts, unknown flags and
/// descriptors) answers with an errno: no host exception escapes, nothing hangs, nothing leaves the sandbox.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class RobustnessTests
{
    static readonly uint[] Interesting32 = [0, 1, 2, 3, 4, 5, 7, 8, 16, 24, 48, 64, 1023, 1024, 4096, 65535, 65536, 65537, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff];
    static readonly ulong[] Interesting64 = [0, 1, 2, 3, 0x1fffffff, 0x7fffffffffffffff, 0x8000000000000000, ulong.MaxValue];

    static IEnumerable<string> Functions() => WasiHost.FunctionNames;

    [TestCaseSource(nameof(Functions))]
    public void RandomArgumentsGiveAnErrno(string name)
    {
        var root = Directory.CreateTempSubdirectory("wasi-fuzz-");
        var sandbox = Directory.CreateDirectory(Path.Combine(root.FullName, "sandbox")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(root.FullName, "outside")).FullName;
        File.WriteAllText(Path.Combine(sandbox, "a"), "abc");
        Directory.CreateDirectory(Path.Combine(sandbox, "d"));
        File.WriteAllText(Path.Combine(outside, "secret"), "SECRET");
        try
        {
            var seed = name.Aggregate(17, (h, c) => h * 31 + c);
            var rng = new Random(seed);
            using var g = new Guest(new WasiPreopen(sandbox, "/"));
            var types = WasiHost.TypeOf(name).Params;
            for (int n = 0; n < 400; n++)
            {
                // Memory holds small numbers and short names, so pointers into it name real things sometimes.
                var mem = g.Memory.Span(0, 65536);
                if (name == "poll_oneoff" || n % 50 == 0) mem.Clear();
                if (name != "poll_oneoff") for (int k = 0; k < 64; k++) mem[rng.Next(65536)] = (byte)"ad./\0\x01\x03"[rng.Next(7)];
                var args = types.Select(t => t == Spec.Syntax.ValType.I64
                    ? (rng.Next(3) == 0 ? (ulong)rng.NextInt64() : Interesting64[rng.Next(Interesting64.Length)])
                    : (rng.Next(3) == 0 ? (uint)rng.Next() : Interesting32[rng.Next(Interesting32.Length)])).ToArray();
                if (name == "proc_exit")
                {
                    Assert.Throws<WasiExitException>(() => g.Call(name, args));
                    continue;
                }
                Errno e = Errno.Success;
                Assert.DoesNotThrow(() => e = g.Call(name, args), $"{name}({string.Join(", ", args)}) seed {seed} call {n}");
                Assert.That((int)e, Is.InRange(0, 76), $"{name}({string.Join(", ", args)})");
            }
            Assert.That(Directory.GetFileSystemEntries(outside).Select(Path.GetFileName), Is.EquivalentTo(new[] { "secret" }));
            Assert.That(Directory.GetFileSystemEntries(root.FullName).Select(Path.GetFileName), Is.EquivalentTo(new[] { "sandbox", "outside" }));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Test]
    public void PointersPastTheMemoryAreEfault()
    {
        using var g = new Guest();
        Assert.Multiple(() =>
        {
            Assert.That(g.Call("args_sizes_get", 65534, 0), Is.EqualTo(Errno.Fault));
            Assert.That(g.Call("clock_time_get", 1, 0, 65533), Is.EqualTo(Errno.Fault));
            Assert.That(g.Call("random_get", 65000, 1000), Is.EqualTo(Errno.Fault));
            Assert.That(g.Call("random_get", 0xffffffff, 2), Is.EqualTo(Errno.Fault));
            Assert.That(g.Call("fd_write", 1, 65532, 1, 0), Is.EqualTo(Errno.Fault));
            Assert.That(g.Call("fd_write", 1, 0, 0x20000000, 0), Is.EqualTo(Errno.Inval).Or.EqualTo(Errno.Fault));
            Assert.That(g.Call("fd_fdstat_get", 1, 65530), Is.EqualTo(Errno.Fault));
            Assert.That(g.Call("poll_oneoff", 65500, 0, 1, 0), Is.EqualTo(Errno.Fault));
        });
    }

    [Test]
    public void NoMemoryIsEfaultNotACrash()
    {
        using var wasi = new WasiHost(new WasiOptions());
        Assert.That(wasi.Call("args_sizes_get", [Value.I32(0), Value.I32(4)]), Is.EqualTo(Errno.Fault));
    }
}
