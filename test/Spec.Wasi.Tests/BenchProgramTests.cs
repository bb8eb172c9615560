using NUnit.Framework;

namespace Spec.Wasi.Tests;

/// <summary>
/// The benchmark's programs (bench/programs) at a tiny size, under this engine and under node's node:wasi: stdout and
/// the exit status must be identical. At their default sizes they run for seconds; `Spec.Bench programs` times those.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class BenchProgramTests
{
    /// <summary>Each program's tiny size (its argv[1]): milliseconds of work in which every phase of the program still runs.</summary>
    static readonly Dictionary<string, string> TinySizes = new()
    {
        ["hashtable"] = "100",
        ["lz77"] = "1",
        ["mandelbrot"] = "16",
        ["matmul"] = "8",
        ["nbody"] = "100",
        ["queens"] = "1",
        ["sha256"] = "1",
        ["sieve"] = "1000",
        ["sort"] = "100",
        ["spectral"] = "10",
        ["trees"] = "4",
        ["vm"] = "1000",
    };

    static string Folder => Path.Combine(Harness.RepoRoot, "bench", "programs");

    static IEnumerable<TestCaseData> Programs() => TinySizes.Select(p => new TestCaseData(p.Key, p.Value).SetName($"bench-{p.Key}"));

    [TestCaseSource(nameof(Programs))]
    public void SameAsNodeAtATinySize(string program, string size)
    {
        if (!Harness.HasNode) Assert.Ignore("node is not installed");
        var wasm = Path.Combine(Folder, program + ".wasm");
        var ours = Harness.Ours(wasm, [size], [], []);
        var node = Harness.Node(wasm, [size], [], []);
        Assert.Multiple(() =>
        {
            Assert.That(ours.Stdout, Is.EqualTo(node.Stdout), "stdout");
            Assert.That(ours.Status, Is.EqualTo(node.Status), "exit status");
            Assert.That(ours.Status, Is.Zero, "the program's own checks passed");
            Assert.That(ours.Stdout, Is.Not.Empty, "the program printed its checksums");
        });
    }

    /// <summary>A program added to the benchmark without a tiny size would go untested.</summary>
    [Test]
    public void EveryProgramHasATinySize() =>
        Assert.That(Directory.GetFiles(Folder, "*.wasm").Select(Path.GetFileNameWithoutExtension), Is.EquivalentTo(TinySizes.Keys));
}
