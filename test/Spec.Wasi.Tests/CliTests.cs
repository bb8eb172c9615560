using System.Diagnostics;
using NUnit.Framework;

namespace Spec.Wasi.Tests;

/// <summary>`wasmspec run` and `wasmspec wasi-test` as a user runs them, on each engine: a process, its output and exit status.</summary>
[TestFixture("interp"), TestFixture("jit"), NonParallelizable]
public sealed class CliTests(string engine)
{
    /// <summary>The command built beside these tests (same configuration, artifacts layout).</summary>
    static readonly string Dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Spec.Cli",
        Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "wasmspec.dll"));

    /// <summary>Runs the command; a <c>run</c> or <c>wasi-test</c> runs on this fixture's engine.</summary>
    (int Status, string Stdout, string Stderr) Wasmspec(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        if (args is ["run" or "wasi-test", ..]) args = [args[0], "--engine", engine, .. args[1..]];
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin ?? "");
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(); Assert.Fail("wasmspec did not finish"); }
        return (p.ExitCode, output, err.Result);
    }

    [Test]
    public void InvokePrintsResults() =>
        Assert.That(Wasmspec(null, "run", Harness.Example("fib"), "--invoke", "fib", "20"), Is.EqualTo((0, "6765\n", "")));

    [Test]
    public void InvokeBeforeTheFileToo() =>
        Assert.That(Wasmspec(null, "run", "--invoke", "fib", Harness.Example("fib"), "10").Stdout, Is.EqualTo("55\n"));

    [Test]
    public void ATrapExitsWith134AndSaysWhy()
    {
        var (status, _, stderr) = Wasmspec(null, "run", Harness.Example("fib"), "--invoke", "crash", "1");
        Assert.That(status, Is.EqualTo(134));
        Assert.That(stderr, Does.Contain("trap: unreachable"));
        // The backtrace names the frames innermost first, from the name section, at their bodies' offsets.
        Assert.That(stderr, Does.Match(@"backtrace:\n  #0 0x[0-9a-f]+ - fib!fail\n  #1 0x[0-9a-f]+ - fib!crash"));
    }

    [Test]
    public void CommandsPassStdioAndExitStatus()
    {
        Assert.That(Wasmspec("x\ny\n", "run", Harness.Example("stdin")), Is.EqualTo((0, "X\nY\nbytes=4 lines=2\n", "")));
        Assert.That(Wasmspec(null, "run", Harness.Example("exit"), "9"), Is.EqualTo((9, "exiting with 9\n", "to stderr\n")));
        Assert.That(Wasmspec(null, "run", "--env", "GREETING=yo", Harness.Example("args_env"), "a").Stdout,
            Is.EqualTo("argc=2\nargv[1]=a\nenviron entries=1\nGREETING=yo\nHOME=(unset)\n"));
    }

    [Test]
    public void PreopenedDirectories()
    {
        var dir = Directory.CreateTempSubdirectory("wasi-cli-");
        try
        {
            var (status, stdout, _) = Wasmspec(null, "run", "--dir", $"{dir.FullName}::sandbox", Harness.Example("files"));
            Assert.That(status, Is.Zero);
            Assert.That(stdout, Does.Contain("sandbox/work: renamed.txt sub").And.Contain("open outside: refused"));
            var ro = Wasmspec(null, "run", "--dir", $"{dir.FullName}::sandbox:ro", Harness.Example("files"));
            Assert.That((ro.Status, ro.Stdout), Is.EqualTo((1, "mkdir: Operation not permitted\n")).Or.EqualTo((1, "mkdir: Capabilities insufficient\n")));
            Assert.That(Directory.GetFileSystemEntries(dir.FullName), Is.Empty);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Test]
    public void AnUnknownEngineIsRefusedClearly()
    {
        var (status, _, stderr) = Wasmspec(null, "run", "--engine", "turbo", Harness.Example("hello"));
        Assert.That(status, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("unknown engine turbo"));
    }

    [Test]
    public void WasiTestRunsASuiteAndRatchets()
    {
        var suite = Directory.CreateTempSubdirectory("wasi-suite-");
        try
        {
            var target = Directory.CreateDirectory(Path.Combine(suite.FullName, "mine", "wasm32-wasip1")).FullName;
            File.Copy(Harness.Example("hello"), Path.Combine(target, "hello.wasm"));
            File.WriteAllText(Path.Combine(target, "hello.json"), """{ "stdout": "Hello, world!\n" }""");
            File.Copy(Harness.Example("exit"), Path.Combine(target, "exit.wasm"));
            File.WriteAllText(Path.Combine(target, "exit.json"), """{ "args": ["4"], "exit_code": 5 }""");
            File.Copy(Harness.Example("files"), Path.Combine(target, "files.wasm"));
            File.WriteAllText(Path.Combine(target, "files.json"), """{ "operations": [ { "type": "run", "root": "tree" }, { "type": "wait", "exit_code": 0 } ] }""");
            Directory.CreateDirectory(Path.Combine(target, "tree", "sandbox"));
            File.WriteAllText(Path.Combine(target, "old.cleanup"), "left over");
            File.WriteAllText(Path.Combine(target, "keep.txt"), "kept");

            var (status, stdout, _) = Wasmspec(null, "wasi-test", target);
            Assert.That(status, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain("PASS mine/wasm32-wasip1/hello.wasm").And.Contain("FAIL mine/wasm32-wasip1/exit.wasm"));
            Assert.That(stdout.TrimEnd().Split('\n')[^1], Is.EqualTo("wasi-test: 2 passed, 1 failed, 0 skipped"));
            Assert.That(File.Exists(Path.Combine(target, "old.cleanup")), Is.False, "*.cleanup removed");
            Assert.That(File.ReadAllText(Path.Combine(target, "keep.txt")), Is.EqualTo("kept"));
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(target, "tree", "sandbox")), Is.Empty, "the suite's folder is not modified");

            var list = Path.Combine(suite.FullName, "expected.txt");
            File.WriteAllText(list, "# known\nmine/wasm32-wasip1/exit.wasm\n");
            Assert.That(Wasmspec(null, "wasi-test", "--expect-failures", list, target).Status, Is.Zero, "every failure listed");
            File.WriteAllText(list, "mine/wasm32-wasip1/exit.wasm\nmine/wasm32-wasip1/hello.wasm\n");
            Assert.That(Wasmspec(null, "wasi-test", "--expect-failures", list, target).Status, Is.EqualTo(1), "a listed test passes");
            File.WriteAllText(list, "");
            Assert.That(Wasmspec(null, "wasi-test", "--expect-failures", list, target).Status, Is.EqualTo(1), "an unlisted failure");
        }
        finally { suite.Delete(recursive: true); }
    }
}
