using System.Text;
using System.Text.Json;
using Spec.Syntax;
using Spec.Wasi;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>
/// wasmspec wasi-test [--expect-failures FILE] DIR...: runs each DIR/*.wasm of the wasi-testsuite layout against its
/// JSON specification (legacy or operation-based) and compares the exit code, stdout and stderr. A test's
/// preopened directory is copied to a temporary folder first, so the suite's own folders are never changed.
/// </summary>
internal static class WasiTestCommand
{
    internal const string Usage = """
        usage: wasmspec wasi-test [--engine interp|jit] [--expect-failures FILE] [--timeout DURATION] (--all | DIR...)
          runs WASI testsuite programs against their JSON expectations
          --all                    every folder of the WASI testsuite ($WASI_TESTSUITE, test/wasi-testsuite, ../shared/wasi-testsuite)
          --expect-failures FILE   exit 0 only when exactly the listed programs fail
          --timeout DURATION       per program (default 2m)
        """;

    /// <summary>
    /// What a test expects: its run configuration and its results. A stream the specification does not mention
    /// (null) is not compared, as in the suite's own runner: several tests print diagnostics nobody checks.
    /// </summary>
    internal sealed record Spec(IReadOnlyList<string> Args, IReadOnlyList<string> Env, string? Root, int ExitCode, string? Stdout, string? Stderr, string? SkipReason);

    public static int Run(string[] args)
    {
        var dirs = new List<string>();
        string? expectFile = null;
        var timeout = TimeSpan.FromMinutes(2);
        string engineName = "interp";
        for (int k = 0; k < args.Length; k++)
        {
            if (args[k] == "--expect-failures" && k + 1 < args.Length) expectFile = args[++k];
            else if (args[k] == "--engine" && k + 1 < args.Length) engineName = args[++k];
            else if (args[k] == "--timeout" && k + 1 < args.Length && Quantities.TryParseDuration(args[k + 1], out timeout)) k++;
            else if (args[k] == "--all")
            {
                if (FindSuite() is not { } suite) { Console.Error.WriteLine("wasi-test: no wasi-testsuite found ($WASI_TESTSUITE, test/wasi-testsuite, ../shared/wasi-testsuite)"); return ExitStatus.Usage; }
                dirs.AddRange(Directory.GetDirectories(suite).Order(StringComparer.Ordinal)
                    .Select(d => Path.Combine(d, "wasm32-wasip1")).Where(Directory.Exists));
            }
            else if (args[k].StartsWith("--")) { Console.Error.WriteLine($"wasmspec wasi-test: bad argument {args[k]}\n{Usage}"); return ExitStatus.Usage; }
            else dirs.Add(args[k]);
        }
        if (dirs.Count == 0) { Console.Error.WriteLine($"wasmspec wasi-test: --all or a folder is needed\n{Usage}"); return ExitStatus.Usage; }
        if (Engines.ByName(engineName, fuel: false, out var why) is not { } engine) { Console.Error.WriteLine($"wasi-test: {why}"); return ExitStatus.Usage; }
        HashSet<string>? expected = null;
        if (expectFile is not null)
        {
            if (!File.Exists(expectFile)) { Console.Error.WriteLine($"wasi-test: no expected-failures file {expectFile}"); return ExitStatus.Usage; }
            expected = [.. File.ReadAllLines(expectFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        }

        int passed = 0, failed = 0, skipped = 0;
        var failures = new List<string>();
        var passes = new HashSet<string>();
        foreach (var dir in dirs)
        {
            if (!Directory.Exists(dir)) { Console.Error.WriteLine($"wasi-test: no directory {dir}"); return ExitStatus.Usage; }
            RemoveCleanups(dir);
            foreach (var wasm in Directory.GetFiles(dir, "*.wasm").Order(StringComparer.Ordinal))
            {
                var id = TestId(wasm);
                var (verdict, detail) = RunTest(wasm, timeout, engine);
                switch (verdict)
                {
                    case Verdict.Pass: passed++; passes.Add(id); break;
                    case Verdict.Fail: failed++; failures.Add(id); break;
                    default: skipped++; break;
                }
                Console.WriteLine($"{verdict.ToString().ToUpperInvariant()} {id}{(detail is null ? "" : ": " + detail)}");
            }
        }
        Console.WriteLine($"wasi-test: {passed} passed, {failed} failed, {skipped} skipped");
        if (expected is null) return failed == 0 ? ExitStatus.Success : ExitStatus.Failed;
        var unexpected = failures.Where(f => !expected.Contains(f)).ToList();
        // Listed tests that did not run here (another folder, or skipped) are left alone.
        var fixedNow = expected.Where(passes.Contains).ToList();
        foreach (var u in unexpected) Console.WriteLine($"wasi-test: unexpected failure {u}");
        foreach (var f in fixedNow) Console.WriteLine($"wasi-test: listed failure now passes (remove it from the list): {f}");
        return unexpected.Count == 0 && fixedNow.Count == 0 ? ExitStatus.Success : ExitStatus.Failed;
    }

    internal enum Verdict { Pass, Fail, Skip }

    /// <summary>
    /// The wasi-testsuite: $WASI_TESTSUITE, else test/wasi-testsuite, else ../shared/wasi-testsuite, relative to the
    /// repository root (the nearest folder above the working directory holding WasmSpec.sln).
    /// </summary>
    static string? FindSuite()
    {
        if (Environment.GetEnvironmentVariable("WASI_TESTSUITE") is { Length: > 0 } env) return Directory.Exists(env) ? env : null;
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (!File.Exists(Path.Combine(d.FullName, "WasmSpec.sln"))) continue;
            foreach (var candidate in new[] { Path.Combine(d.FullName, "test", "wasi-testsuite"), Path.Combine(d.FullName, "..", "shared", "wasi-testsuite") })
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            return null;
        }
        return null;
    }

    /// <summary>A test's name: its suite folder, target folder and file, e.g. "rust/wasm32-wasip1/stdio.wasm".</summary>
    internal static string TestId(string wasm)
    {
        var full = Path.GetFullPath(wasm);
        var target = Path.GetDirectoryName(full)!;
        var suite = Path.GetDirectoryName(target);
        return string.Join('/', new[] { suite is null ? null : Path.GetFileName(suite), Path.GetFileName(target), Path.GetFileName(full) }.Where(s => !string.IsNullOrEmpty(s)));
    }

    /// <summary>Removes the test artifacts named *.cleanup (and nothing else) left by an earlier run.</summary>
    static void RemoveCleanups(string dir)
    {
        try
        {
            foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos("*.cleanup", SearchOption.AllDirectories))
            {
                try
                {
                    if (e is DirectoryInfo d && d.LinkTarget is null) d.Delete(recursive: true);
                    else e.Delete();
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    internal static (Verdict, string?) RunTest(string wasm, TimeSpan timeout, Execution.IEngine? engine = null)
    {
        Spec spec;
        try { spec = ReadSpec(Path.ChangeExtension(wasm, ".json")); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        { return (Verdict.Fail, $"bad specification: {e.Message}"); }
        if (spec.SkipReason is { } why) return (Verdict.Skip, why);

        Module module;
        try { module = RunCommand.Load(wasm); }
        catch (WasmException e) { return (Verdict.Fail, $"{e.Phase}: {e.Message}"); }

        var scratch = Directory.CreateTempSubdirectory("wasi-test-");
        try
        {
            var preopens = new List<WasiPreopen>();
            if (spec.Root is { } root)
            {
                var source = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(wasm))!, root);
                var copy = Path.Combine(scratch.FullName, Path.GetFileName(Path.TrimEndingDirectorySeparator(source)));
                CopyTree(source, copy);
                preopens.Add(new WasiPreopen(copy, "/"));
            }
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var options = new WasiOptions
            {
                Args = [Path.GetFileName(wasm), .. spec.Args],
                Env = spec.Env,
                Preopens = preopens,
                Stdin = new MemoryStream(),
                Stdout = stdout,
                Stderr = stderr,
            };
            RunCommand.Outcome? outcome = null;
            var thread = new Thread(() => outcome = RunCommand.Execute(module, options, new RunBounds(Timeout: timeout), engine), Engines.StackSize) { IsBackground = true };
            thread.Start();
            // The store's deadline stops the program; waiting a little longer only guards against a fault of our own.
            if (!thread.Join(timeout + TimeSpan.FromSeconds(10))) return (Verdict.Fail, $"did not stop at its deadline of {timeout}");
            var o = outcome!.Value;
            var problems = new List<string>();
            if (o.Status != spec.ExitCode) problems.Add($"exit code {o.Status}, expected {spec.ExitCode}{(o.Error is null ? "" : $" ({o.Error.Split('\n')[0]})")}");
            var gotOut = Encoding.UTF8.GetString(stdout.ToArray());
            var gotErr = Encoding.UTF8.GetString(stderr.ToArray());
            if (spec.Stdout is not null && gotOut != spec.Stdout) problems.Add($"stdout {Quote(gotOut)}, expected {Quote(spec.Stdout)}");
            if (spec.Stderr is not null && gotErr != spec.Stderr) problems.Add($"stderr {Quote(gotErr)}, expected {Quote(spec.Stderr)}");
            return problems.Count == 0 ? (Verdict.Pass, null) : (Verdict.Fail, string.Join("; ", problems));
        }
        finally
        {
            try { MakeWritable(scratch); scratch.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static string Quote(string s) => JsonSerializer.Serialize(s.Length > 300 ? s[..300] + "..." : s);

    /// <summary>The legacy specification, or the operation-based one reduced to run/read/wait (others are skipped).</summary>
    internal static Spec ReadSpec(string json)
    {
        if (!File.Exists(json)) return new([], [], null, 0, null, null, null);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var r = doc.RootElement;
        if (!r.TryGetProperty("operations", out var ops))
            return FromRun(r, r.TryGetProperty("exit_code", out var ec) ? ec.GetInt32() : 0,
                Str(r, "stdout"), Str(r, "stderr"), null);
        if (r.TryGetProperty("proposals", out var props) && props.GetArrayLength() > 0)
            return new([], [], null, 0, "", "", $"needs proposals {string.Join(", ", props.EnumerateArray().Select(p => p.GetString()))}");
        JsonElement? run = null;
        int exit = 0;
        StringBuilder? stdout = null, stderr = null;
        foreach (var op in ops.EnumerateArray())
        {
            switch (Str(op, "type"))
            {
                case "run": run = op; break;
                case "wait": exit = op.TryGetProperty("exit_code", out var e) ? e.GetInt32() : 0; break;
                case "read" when Str(op, "id") == "stderr": (stderr ??= new()).Append(Str(op, "payload") ?? ""); break;
                case "read": (stdout ??= new()).Append(Str(op, "payload") ?? ""); break;
                case var other: return new([], [], null, 0, "", "", $"operation {other} is not supported");
            }
        }
        return FromRun(run ?? default, exit, stdout?.ToString(), stderr?.ToString(), run is null ? "no run operation" : null);

        static Spec FromRun(JsonElement run, int exit, string? stdout, string? stderr, string? skip)
        {
            var args = new List<string>();
            var env = new List<string>();
            string? root = null;
            if (run.ValueKind == JsonValueKind.Object)
            {
                if (run.TryGetProperty("args", out var a)) args.AddRange(a.EnumerateArray().Select(x => x.GetString() ?? ""));
                if (run.TryGetProperty("env", out var e)) env.AddRange(e.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
                root = Str(run, "root") ?? (run.TryGetProperty("dirs", out var d) && d.GetArrayLength() > 0 ? d[0].GetString() : null);
            }
            return new(args, env, root, exit, stdout, stderr, skip);
        }
    }

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Copies a directory tree, links as links, every copy writable by its owner.</summary>
    internal static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var e in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var dest = Path.Combine(to, e.Name);
            if (e.LinkTarget is { } target) File.CreateSymbolicLink(dest, target);
            else if (e is DirectoryInfo d) CopyTree(d.FullName, dest);
            else File.Copy(e.FullName, dest);
            if (e.LinkTarget is null && !OperatingSystem.IsWindows()) File.SetUnixFileMode(dest, File.GetUnixFileMode(dest) | UnixFileMode.UserWrite | UnixFileMode.UserRead | (e is DirectoryInfo ? UnixFileMode.UserExecute : 0));
        }
    }

    static void MakeWritable(DirectoryInfo d)
    {
        foreach (var e in d.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            if (e.LinkTarget is null && e is DirectoryInfo && !OperatingSystem.IsWindows()) File.SetUnixFileMode(e.FullName, File.GetUnixFileMode(e.FullName) | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead);
    }
}
