using NUnit.Framework;

namespace Spec.Wasi.Tests;

/// <summary>
/// The example programs (examples/wasi, C against wasi-libc) under this engine and under node's node:wasi:
/// stdout and the exit status must be identical.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class DifferentialTests
{
    static IEnumerable<TestCaseData> Programs()
    {
        yield return new TestCaseData("hello", Array.Empty<string>(), Array.Empty<string>(), "", false).SetName("hello");
        yield return new TestCaseData("args_env", new[] { "one", "two words", "" }, new[] { "GREETING=hi there", "EMPTY=" }, "", false).SetName("args_env");
        yield return new TestCaseData("args_env", Array.Empty<string>(), Array.Empty<string>(), "", false).SetName("args_env-nothing-given");
        yield return new TestCaseData("files", Array.Empty<string>(), Array.Empty<string>(), "", true).SetName("files");
        yield return new TestCaseData("clocks", Array.Empty<string>(), Array.Empty<string>(), "", false).SetName("clocks");
        yield return new TestCaseData("random", Array.Empty<string>(), Array.Empty<string>(), "", false).SetName("random");
        yield return new TestCaseData("stdin", Array.Empty<string>(), Array.Empty<string>(), "one\ntwo\nthree, with ünïcode\n", false).SetName("stdin");
        yield return new TestCaseData("exit", new[] { "42" }, Array.Empty<string>(), "", false).SetName("exit-42");
        yield return new TestCaseData("exit", Array.Empty<string>(), Array.Empty<string>(), "", false).SetName("exit-3");
    }

    [TestCaseSource(nameof(Programs))]
    public void SameAsNode(string program, string[] args, string[] env, string stdin, bool sandbox)
    {
        if (!Harness.HasNode) Assert.Ignore("node is not installed");
        var wasm = Harness.Example(program);
        var ours = Scratch(sandbox, dirs => Harness.Ours(wasm, args, env, dirs, stdin));
        var node = Scratch(sandbox, dirs => Harness.Node(wasm, args, env, dirs, stdin));
        Assert.Multiple(() =>
        {
            Assert.That(ours.Stdout, Is.EqualTo(node.Stdout), "stdout");
            Assert.That(ours.Status, Is.EqualTo(node.Status), "exit status");
            Assert.That(ours.Stdout, Is.Not.Empty, "the program printed something");
        });
    }

    [Test]
    public void ExitStatusIsTheProcExitCode()
    {
        var run = Harness.Ours(Harness.Example("exit"), ["7"], [], []);
        Assert.That((run.Status, run.Stdout, run.Stderr), Is.EqualTo((7, "exiting with 7\n", "to stderr\n")));
    }

    [Test]
    public void NoAmbientEnvironment()
    {
        Environment.SetEnvironmentVariable("GREETING", "from the host");
        var run = Harness.Ours(Harness.Example("args_env"), [], [], []);
        Assert.That(run.Stdout, Does.Contain("environ entries=0").And.Contain("GREETING=(unset)"));
    }

    /// <summary>Runs with a fresh empty directory preopened as "sandbox" when asked.</summary>
    static Harness.Run Scratch(bool sandbox, Func<Harness.Dir[], Harness.Run> run)
    {
        if (!sandbox) return run([]);
        var dir = Directory.CreateTempSubdirectory("wasi-diff-");
        try { return run([new Harness.Dir(dir.FullName, "sandbox")]); }
        finally { dir.Delete(recursive: true); }
    }
}
