using Spec.Syntax;

namespace Spec.Wast;

/// <summary>wast-run: runs WAST scripts (the official testsuite by default) and reports per file and in total.</summary>
public static class Program
{
    const string Usage =
        "usage: wast-run [--engine interp|jit] [--json FILE] [--expect-failures FILE] [--update-expected FILE]\n" +
        "                [-j N] [-v] [--testsuite DIR] [--all] [--features LIST] [--timeout DURATION]\n" +
        "                [--threads] [--threads-testsuite DIR] [--repeat N] [--rule-coverage FILE [--spec DIR] [--exact]] [PATH...]\n" +
        "  -v  also print each failure under its file's line\n" +
        "  --help, -h  this text;  --version  the version\n" +
        "  --timeout DURATION  the time each file may run (500ms, 10s, 2m); past it, what is left fails with \"deadline exceeded\"\n" +
        "                      (a file that starts threads has 60s unless told)\n" +
        "  --threads  run the threads proposal's concurrent scripts (--threads-testsuite DIR, else $WASM_THREADS_TESTSUITE,\n" +
        "             else ../shared/testsuite-threads beside the checkout) instead of the testsuite\n" +
        "  --repeat N  run each file N times\n" +
        "  --features LIST  run every file with these features instead of its folder's profile: Wasm 3.0 with the\n" +
        "                   comma-separated switches turned off (-name) or on (name); switches: threads, wide-arithmetic,\n" +
        "                   custom-page-sizes, custom-descriptors, legacy-exceptions (all: every one), multi-memory, multi-table, memory64\n" +
        "  --rule-coverage FILE  write how often each execution and Instr_ok rule of the spec (in --spec DIR) fired;\n" +
        "                        with --exact, bulk operations (memory.fill, table.copy, ...) recurse one element a step";

    /// <summary>Worker threads get a large stack: scripts nest deeply and engines recurse.</summary>
    const int WorkerStackSize = 256 << 20;

    internal sealed record Options(
        string Engine, string? Json, string? ExpectFailures, string? UpdateExpected, int Jobs,
        string? TestsuiteDir, bool All, List<string> Paths, bool Verbose = false,
        string? RuleCoverage = null, string? SpecDir = null, Features? Features = null, TimeSpan? Timeout = null,
        bool Threads = false, string? ThreadsTestsuiteDir = null, int Repeat = 1, bool Exact = false);

    public static int Main(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.Out.WriteLine(Usage);
            return ExitStatus.Success;
        }
        if (args is ["--version" or "-V"])
        {
            var version = typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0];
            Console.Out.WriteLine($"wast-run {version ?? "unknown"}");
            return ExitStatus.Success;
        }
        Options options;
        try
        {
            options = ParseArgs(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"wast-run: {e.Message}\n{Usage}");
            return ExitStatus.Usage;
        }
        if (Pipeline.Unavailable(options.Engine) is { } why)
        {
            Console.Error.WriteLine($"wast-run: {why}");
            return ExitStatus.Usage;
        }
        // The reports are written after the whole run: a place they cannot go is said before it begins.
        foreach (var output in new[] { options.Json, options.UpdateExpected, options.RuleCoverage })
            if (output is not null && OutputFiles.Unwritable(output) is { } unwritable)
            {
                Console.Error.WriteLine($"wast-run: {unwritable}");
                return ExitStatus.Usage;
            }

        string? root = options.Threads ? Testsuite.ThreadsRoot(options.ThreadsTestsuiteDir) : Testsuite.Root(options.TestsuiteDir);
        List<string> files;
        HashSet<string>? expected;
        RuleCoverage? coverage = null;
        try
        {
            files = CollectFiles(options, root);
            expected = options.ExpectFailures is { } list ? ExpectedFailures.Read(list) : null;
            if (options.RuleCoverage is not null)
                coverage = RuleCoverage.Load(RuleCoverage.SpecDir(options.SpecDir, root)
                    ?? throw new InvalidOperationException("no spec found for --rule-coverage: use --spec DIR"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"wast-run: {e.Message}");
            return ExitStatus.Usage;
        }

        var results = RunAll(files, root, options, coverage);
        int passed = results.Sum(r => r.Passed), failed = results.Sum(r => r.Failed), skipped = results.Sum(r => r.Skipped);

        string? unwritten = null;
        try
        {
            if (options.Json is { } json)
            {
                using var stream = File.Create(json);
                JsonReport.Write(stream, options.Engine, results);
            }
            if (options.UpdateExpected is { } update) ExpectedFailures.Write(update, results);
            if (coverage is not null) File.WriteAllText(options.RuleCoverage!, coverage.Report());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unwritten = e.Message;
        }

        int exit = failed == 0 ? ExitStatus.Success : ExitStatus.Failed;
        if (expected is not null)
        {
            var (unexpected, nowPassing) = ExpectedFailures.Compare(expected, results);
            foreach (var u in unexpected) Console.WriteLine($"unexpected failure: {u}");
            foreach (var p in nowPassing) Console.WriteLine($"unexpectedly passing (remove from {Path.GetFileName(options.ExpectFailures)}): {p}");
            exit = unexpected.Count == 0 && nowPassing.Count == 0 ? ExitStatus.Success : ExitStatus.Failed;
        }
        Console.WriteLine($"wast-run: {passed} passed, {failed} failed, {skipped} skipped");
        if (unwritten is null) return exit;
        Console.Error.WriteLine($"wast-run: {unwritten}");
        return ExitStatus.Usage;
    }

    internal static Options ParseArgs(string[] args)
    {
        string engine = "interp";
        string? json = null, expect = null, update = null, testsuite = null, coverage = null, spec = null, threadsTestsuite = null;
        Features? features = null;
        TimeSpan? timeout = null;
        int jobs = 1, repeat = 1;
        bool all = false, verbose = false, threads = false, exact = false;
        var paths = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--engine":
                    engine = Value();
                    if (engine is not ("interp" or "jit")) throw new ArgumentException($"unknown engine {engine}");
                    break;
                case "--json": json = Value(); break;
                case "--expect-failures": expect = Value(); break;
                case "--update-expected": update = Value(); break;
                case "--testsuite": testsuite = Value(); break;
                case "--rule-coverage": coverage = Value(); break;
                case "--spec": spec = Value(); break;
                case "--features": features = Features.Parse(Value()); break;
                case "--all": all = true; break;
                case "--threads": threads = true; break;
                case "--threads-testsuite": threadsTestsuite = Value(); threads = true; break;
                case "--repeat":
                    if (!int.TryParse(Value(), out repeat) || repeat < 1) throw new ArgumentException("--repeat needs a positive number");
                    break;
                case "--exact": exact = true; break;
                case "--timeout":
                    timeout = Quantities.TryParseDuration(Value(), out var t) ? t : throw new ArgumentException($"--timeout takes {Quantities.DurationSyntax}");
                    break;
                case "-v" or "--verbose": verbose = true; break;
                case "-j":
                    if (!int.TryParse(Value(), out jobs) || jobs < 1) throw new ArgumentException("-j needs a positive number");
                    break;
                case var a when a.StartsWith("-j", StringComparison.Ordinal) && int.TryParse(a[2..], out int n) && n > 0:
                    jobs = n;
                    break;
                case var a when a.StartsWith('-') && a.Length > 1: throw new ArgumentException($"unknown option {a}");
                default: paths.Add(args[i]); break;
            }
        }
        if (threads && (all || testsuite is not null)) throw new ArgumentException("--threads runs the threads scripts, not the testsuite: drop --all and --testsuite");
        return new Options(engine, json, expect, update, jobs, testsuite, all, paths, verbose, coverage, spec, features, timeout,
            threads, threadsTestsuite, repeat, exact);
    }

    static List<string> CollectFiles(Options options, string? root)
    {
        var roots = new List<string>(options.Paths);
        if (options.All || roots.Count == 0)
        {
            if (root is null)
                throw new InvalidOperationException(options.Threads
                    ? "no threads testsuite found: use --threads-testsuite DIR or set WASM_THREADS_TESTSUITE"
                    : "no testsuite found: use --testsuite DIR or set WASM_TESTSUITE");
            if (options.All) roots.AddRange(Testsuite.AllFolders(root));
            else roots.Add(root);
        }
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in roots)
            foreach (var file in Testsuite.Files(path, root))
                if (seen.Add(file)) files.Add(file);
        return [.. Enumerable.Repeat(files, options.Repeat).SelectMany(f => f)];
    }

    /// <summary>Runs the files on <see cref="Options.Jobs"/> threads, printing each file's line in the given order.</summary>
    static List<FileResult> RunAll(List<string> files, string? root, Options options, RuleCoverage? coverage = null)
    {
        var results = new FileResult?[files.Count];
        int next = -1, printed = 0;
        var gate = new object();
        void Work()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < files.Count;)
            {
                FileResult result;
                using (var observer = coverage?.Observe())
                {
                    string name = Testsuite.DisplayName(files[i], root);
                    result = RunFile(files[i], name, options.Engine, options.Features ?? (options.Threads ? Testsuite.ThreadsScripts : Testsuite.ProfileOf(name)), observer?.Count, options.Timeout, options.Exact);
                }
                lock (gate)
                {
                    results[i] = result;
                    for (; printed < files.Count && results[printed] is { } done; printed++)
                    {
                        Console.WriteLine(done.Summary);
                        if (options.Verbose)
                            foreach (var f in done.Failures)
                                Console.WriteLine($"  {done.File}:{f.Line} {f.Kind} ({JsonReport.PhaseName(f.Phase)}): {f.Message}");
                    }
                }
            }
        }
        var threads = Enumerable.Range(0, Math.Min(options.Jobs, Math.Max(files.Count, 1)))
            .Select(_ => new Thread(Work, WorkerStackSize)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return results.Select(r => r!).ToList();
    }

    /// <summary>Parses and runs one script; a script that does not parse is one failure of kind "script".</summary>
    internal static FileResult RunFile(string path, string name, string engineName, Features? features = null,
        Action<string>? trace = null, TimeSpan? timeout = null, bool exact = false)
    {
        Script script;
        try
        {
            script = WastParser.Parse(name, File.ReadAllBytes(path));
        }
        catch (Exception e)
        {
            var result = new FileResult(name);
            int line = e is WasmException { Position: { } pos } && int.TryParse(pos.Split(':')[0], out int l) ? l : 0;
            result.Fail(line, "script", Phase.Parse, e is WasmException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}");
            return result;
        }
        // Threads run concurrently: they count rules under one lock, and a script that starts any has a deadline.
        if (trace is { } count)
        {
            var gate = new object();
            trace = rule => { lock (gate) count(rule); };
        }
        if (timeout is null && StartsThreads(script.Commands)) timeout = ScriptThreads.DefaultTimeout;
        var threads = new ScriptThreads(left => Pipeline.Engine(engineName, features, trace, left, exact), timeout);
        return new ScriptRunner(Pipeline.For(features ?? Features.Default), Pipeline.Engine(engineName, features, trace, timeout, exact), threads).Run(script, name);
    }

    static bool StartsThreads(IEnumerable<Command> commands) => commands.Any(c => c is ThreadCommand);
}
