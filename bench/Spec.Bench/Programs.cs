using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Spec.Bench;

/// <summary>
/// `programs`: the C programs of bench/programs (built for wasm32-wasi) run as whole processes, by
/// `wasmspec run --engine E` for each engine asked for and by node's node:wasi, alternately, and reported as the ratio
/// of their median times. Each engine's stdout and exit status must equal node's: a program where they do not is
/// reported and left out of that engine's geometric mean. An engine that fails says why in its cells; the run goes on.
/// </summary>
internal static class Programs
{
    const string Usage = "usage: Spec.Bench programs [--engines jit|interp|jit,interp] [--runs N] [--only NAME,...]";

    /// <summary>Longer than the interpreter needs for any program at its default size (about a minute).</summary>
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One process run: its wall-clock time (start to exit), exit status and output; Error when it did not run to the end.</summary>
    sealed record Outcome(double Seconds, int Status, string Stdout, string Stderr, string? Error = null);

    /// <summary>The runs of one runner (node or an engine) on one program; once it fails, it is not run again there.</summary>
    sealed class Cell
    {
        public List<double> Times { get; } = [];
        public string? Failure { get; set; }
        /// <summary>What the failure's summary in the cell leaves out, for the notes under the table.</summary>
        public string? Detail { get; set; }
        public bool Ok => Failure is null && Times.Count > 0;
        public double Median
        {
            get
            {
                var t = Times.Order().ToList();
                return t.Count % 2 == 1 ? t[t.Count / 2] : (t[t.Count / 2 - 1] + t[t.Count / 2]) / 2;
            }
        }
    }

    public static int Run(string[] args)
    {
        string[] engines = ["jit"];
        int runs = 3;
        string[]? only = null;
        for (int k = 0; k < args.Length; k++)
        {
            string? Next() => k + 1 < args.Length ? args[++k] : null;
            switch (args[k])
            {
                case "--engines" when Next() is { } list: engines = Split(list); break;
                case "--runs" when int.TryParse(Next(), Inv, out var n) && n > 0: runs = n; break;
                case "--only" when Next() is { } list: only = Split(list); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }
        if (engines.Length == 0) { Console.Error.WriteLine(Usage); return 2; }

        var root = RepoRoot();
        var dir = Path.Combine(root, "bench", "programs");
        var all = Directory.GetFiles(dir, "*.wasm").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        if (only is not null && only.FirstOrDefault(n => !all.Contains(n)) is { } unknown)
        {
            Console.Error.WriteLine($"programs: no program {unknown}; there are {string.Join(", ", all)}");
            return 2;
        }
        var names = only is null ? all : all.Where(only.Contains).ToList();
        if (names.Count == 0) { Console.Error.WriteLine($"programs: no programs to run\n{Usage}"); return 2; }
        var launcher = Path.Combine(root, "wasmspec");
        // The one node harness of the repository, also the reference of the WASI differential tests.
        var harness = Path.Combine(root, "test", "Spec.Wasi.Tests", "node-wasi.mjs");

        var nodeVersion = Exec("node", ["--version"], TimeSpan.FromSeconds(30)) is { Error: null, Status: 0 } v ? v.Stdout.Trim() : null;
        // The launcher builds wasmspec when its sources changed: once here, so that no build is timed.
        var build = Exec(launcher, ["validate", Path.Combine(dir, names[0] + ".wasm")], TimeSpan.FromMinutes(10));
        string? buildFailure = build.Error ?? (build.Status == 0 ? null : $"wasmspec did not build or start (exit {build.Status}): {FirstLine(build.Stderr + build.Stdout)}");

        Console.WriteLine($"{names.Count} programs, engines {string.Join(", ", engines)} against node {nodeVersion ?? "(not found)"}; whole processes, {Runs(runs)} each, alternating");
        var rows = new List<(string Name, Cell Node, Cell[] Engines)>();
        foreach (var name in names)
        {
            var wasm = Path.Combine(dir, name + ".wasm");
            var node = new Cell { Failure = nodeVersion is null ? "node not found" : null };
            var cells = engines.Select(_ => new Cell { Failure = buildFailure }).ToArray();
            Outcome? reference = null;
            for (int run = 0; run < runs; run++)
            {
                if (node.Failure is null)
                {
                    var o = Exec("node", ["--no-warnings", harness, wasm], Timeout);
                    if (Failed(o) is { } why) node.Failure = why;
                    else if (reference is not null && o.Stdout != reference.Stdout)
                        (node.Failure, node.Detail) = ("output differs between runs", $"the output differs between runs at {Difference(reference.Stdout, o.Stdout, "first", "later")}");
                    else { reference ??= o; node.Times.Add(o.Seconds); }
                }
                for (int e = 0; e < engines.Length; e++)
                {
                    var cell = cells[e];
                    if (cell.Failure is not null) continue;
                    var o = Exec(launcher, ["run", "--engine", engines[e], wasm], Timeout);
                    if (Failed(o) is { } why) cell.Failure = why;
                    else if (reference is not null && o.Stdout != reference.Stdout)
                        (cell.Failure, cell.Detail) = ("MISMATCH: stdout differs from node's", $"stdout differs from node's at {Difference(reference.Stdout, o.Stdout, "node", engines[e])}");
                    else cell.Times.Add(o.Seconds);
                }
            }
            rows.Add((name, node, cells));
            Console.WriteLine($"  {name}: node {Ms(node)}" + string.Concat(engines.Select((e, i) => $", {e} {Ms(cells[i])}")));
            foreach (var (e, cell) in engines.Zip(cells))
                if (cell.Failure?.StartsWith("MISMATCH", StringComparison.Ordinal) == true)
                    Console.WriteLine($"  *** {name}: {e} {cell.Detail}");
        }

        var report = Report(rows, engines, runs, nodeVersion);
        Console.WriteLine();
        Console.Write(report);
        var results = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "programs.md"), "# Programs: engines against node\n\n" + report);
        Console.WriteLine($"\n(written to bench/results/programs.md)");
        return 0;
    }

    /// <summary>The table (program, node ms, then ms and ratio to node for each engine), the geometric means and the notes, as Markdown.</summary>
    static string Report(List<(string Name, Cell Node, Cell[] Engines)> rows, string[] engines, int runs, string? nodeVersion)
    {
        var header = new List<string> { "program", "node ms" };
        foreach (var e in engines) header.AddRange([$"{e} ms", $"{e}/node"]);
        var table = new List<string[]> { header.ToArray() };
        foreach (var (name, node, cells) in rows)
        {
            var line = new List<string> { name, Ms(node) };
            foreach (var c in cells) line.AddRange([Ms(c), c.Ok && node.Ok ? Ratio(c.Median / node.Median) : "—"]);
            table.Add(line.ToArray());
        }
        var mean = new List<string> { "geometric mean", "" };
        for (int i = 0; i < engines.Length; i++)
        {
            var ratios = rows.Where(r => r.Node.Ok && r.Engines[i].Ok).Select(r => r.Engines[i].Median / r.Node.Median).ToList();
            mean.AddRange(["", ratios.Count == 0 ? $"— (0 of {rows.Count})" : $"{Ratio(Math.Exp(ratios.Average(Math.Log)))} ({ratios.Count} of {rows.Count})"]);
        }
        table.Add(mean.ToArray());

        var b = new StringBuilder();
        b.AppendLine($"node {nodeVersion ?? "(not found)"}; `wasmspec run --engine E` and `node node-wasi.mjs`, each timed as a whole process (start-up included),");
        b.AppendLine($"median of {Runs(runs)}, the runners alternating. A ratio above 1 means slower than node.");
        if (File.Exists("/proc/loadavg"))
            b.AppendLine($"Load average at the end: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores; timings on a busy machine are noisy.");
        b.AppendLine();
        foreach (var r in table) for (int c = 0; c < r.Length; c++) r[c] = r[c].Replace("|", "\\|");   // a failure's message may hold one
        int[] widths = Enumerable.Range(0, header.Count).Select(c => table.Max(r => r[c].Length)).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((s, c) => c == 0 ? s.PadRight(widths[c]) : s.PadLeft(widths[c]))) + " |";
        b.AppendLine(Line(table[0]));
        b.AppendLine("|" + string.Join("|", widths.Select((w, c) => c == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var r in table.Skip(1)) b.AppendLine(Line(r));

        // Each distinct failure once, with the programs it happened on.
        var notes = rows.SelectMany(r => new[] { ("node", r.Name, r.Node) }.Concat(engines.Zip(r.Engines, (e, c) => (e, r.Name, c))))
            .Where(x => x.Item3.Detail is not null)
            .GroupBy(x => (Runner: x.Item1, x.Item3.Detail))
            .ToList();
        if (notes.Count > 0)
        {
            b.AppendLine();
            foreach (var g in notes)
            {
                var which = g.Count() == rows.Count && rows.Count > 1 ? "every program" : string.Join(", ", g.Select(x => x.Name));
                b.AppendLine($"- {g.Key.Runner} on {which}: {g.Key.Detail}");
            }
        }
        return b.ToString();
    }

    /// <summary>Why a run counts as failed (it did not finish, or exited non-zero: every program exits 0), or null.</summary>
    static string? Failed(Outcome o) =>
        o.Error ?? (o.Status == 0 ? null : $"exit {o.Status}: {FirstLine(o.Stderr)}");

    /// <summary>The first line where two outputs differ, both versions.</summary>
    static string Difference(string a, string b, string aName, string bName)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (int i = 0; ; i++)
        {
            var p = i < x.Length ? x[i] : "(end of output)";
            var q = i < y.Length ? y[i] : "(end of output)";
            if (p != q) return $"line {i + 1}: {aName} `{p}`, {bName} `{q}`";
        }
    }

    static string FirstLine(string s) => s.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(nothing on stderr)";

    static string Ms(Cell c) => c.Failure ?? (c.Times.Count == 0 ? "—" : (c.Median * 1000).ToString("F0", Inv));

    static string Runs(int n) => n == 1 ? "1 run" : $"{n} runs";

    static string Ratio(double r) => r.ToString(r < 10 ? "F2" : "F1", Inv) + "x";

    static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs a program to its end with stdin empty, timing it from start to exit.</summary>
    static Outcome Exec(string program, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program, args)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var sw = Stopwatch.StartNew();
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { return new(0, -1, "", "", $"{Path.GetFileName(program)} did not start: {e.Message}"); }
        using (p)
        {
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                return new(sw.Elapsed.TotalSeconds, -1, "", "", $"timed out after {timeout.TotalSeconds:F0} s");
            }
            double seconds = sw.Elapsed.TotalSeconds;
            return new(seconds, p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>The repository root: the nearest folder above the benchmark's binaries that holds WasmSpec.sln.</summary>
    static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WasmSpec.sln"))) return d.FullName;
        throw new InvalidOperationException("WasmSpec.sln not found above the benchmark's binaries");
    }
}
