using System.Diagnostics;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.TextFormat;

namespace Spec.Bench;

/// <summary>
/// `execute`: the reference interpreter on small compute workloads, timed beside the peers found on the machine in the
/// same run — wabt's interpreter (wasm-interp) and V8 (node) — and reported as ratios. Each workload exports "main",
/// which takes nothing and returns an i32 that every engine must agree on.
/// </summary>
internal static class Execute
{
    /// <summary>The workloads: calls (recursive fib), arithmetic in loops, and loads and stores (a sieve).</summary>
    static readonly (string Name, string Wat)[] Workloads =
    [
        ("fib", """
            (module
              (func $fib (param i32) (result i32)
                (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
                  (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                 (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
              (func (export "main") (result i32) (call $fib (i32.const 30))))
            """),
        ("loops", """
            (module
              (func (export "main") (result i32) (local $i i32) (local $j i32) (local $acc i32)
                (loop $outer
                  (local.set $j (i32.const 0))
                  (loop $inner
                    (local.set $acc (i32.add (local.get $acc)
                      (i32.xor (i32.mul (local.get $i) (local.get $j)) (i32.shr_u (local.get $acc) (i32.const 3)))))
                    (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 1000))))
                  (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3000))))
                (local.get $acc)))
            """),
        ("sieve", """
            (module
              (memory 16)
              (func (export "main") (result i32) (local $i i32) (local $j i32) (local $count i32)
                (local.set $i (i32.const 2))
                (loop $outer
                  (if (i32.eqz (i32.load8_u (local.get $i)))
                    (then
                      (local.set $count (i32.add (local.get $count) (i32.const 1)))
                      (local.set $j (i32.mul (local.get $i) (i32.const 2)))
                      (block $done
                        (loop $mark
                          (br_if $done (i32.ge_u (local.get $j) (i32.const 1000000)))
                          (i32.store8 (local.get $j) (i32.const 1))
                          (local.set $j (i32.add (local.get $j) (local.get $i)))
                          (br $mark)))))
                  (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1000000))))
                (local.get $count)))
            """),
    ];

    public static int Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var dir = Directory.CreateTempSubdirectory("wasmspec-bench-").FullName;
        try
        {
            bool wabt = Available("wasm-interp", "--version"), node = Available("node", "--version");
            Console.WriteLine($"peers: wasm-interp {(wabt ? "found" : "not found")}, node {(node ? "found" : "not found")}; median of {runs} runs each");
            foreach (var (name, wat) in Workloads)
            {
                var module = Text.Parse(wat);
                var wasm = Path.Combine(dir, name + ".wasm");
                File.WriteAllBytes(wasm, Binary.Encode(module));

                var (ours, result) = Median(runs, () =>
                {
                    var store = new Store();
                    var inst = Instantiation.Instantiate(store, module, Array.Empty<ExternVal>());
                    var sw = Stopwatch.StartNew();
                    var r = Embedding.Invoke(store, ((ExternVal.Func)inst.Export("main")!).Inst, []);
                    return (sw.Elapsed.TotalSeconds, r[0].AsI32.ToString());
                });
                var line = $"{name,-6} interpreter {ours * 1000,8:F1} ms (main = {result})";
                if (wabt)
                {
                    var (t, r) = Median(runs, () => Process("wasm-interp", wasm, "--run-all-exports"));
                    var agree = r.Contains($"i32:{(uint)int.Parse(result)}") || r.Contains($"i32:{result}");
                    line += $" | wasm-interp {t * 1000,8:F1} ms, ratio {ours / t,6:F2}x{(agree ? "" : " (RESULT DIFFERS)")}";
                }
                if (node)
                {
                    var js = Path.Combine(dir, "time.js");
                    File.WriteAllText(js, NodeTimer);
                    var (t, r) = Median(runs, () =>
                    {
                        var (_, output) = Process("node", js, wasm);
                        var parts = output.Trim().Split(' ');
                        return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) / 1000, parts[1]);
                    });
                    line += $" | node {t * 1000,8:F2} ms, ratio {ours / t,7:F0}x{(r == result ? "" : " (RESULT DIFFERS)")}";
                }
                Console.WriteLine(line);
            }
            if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
            Console.WriteLine("wasm-interp is timed as a whole process (start-up included); the interpreter and node time main() alone.");
            return 0;
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Times main() inside V8, after instantiation: prints milliseconds and the result.</summary>
    const string NodeTimer = """
        const fs = require('fs');
        const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(process.argv[2])), {});
        const start = performance.now();
        const r = instance.exports.main();
        console.log(`${performance.now() - start} ${r}`);
        """;

    static (double Seconds, string Result) Median(int runs, Func<(double, string)> run)
    {
        var results = Enumerable.Range(0, runs).Select(_ => run()).OrderBy(r => r.Item1).ToList();
        return results[runs / 2];
    }

    static (double Seconds, string Output) Process(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        var sw = Stopwatch.StartNew();
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (sw.Elapsed.TotalSeconds, output);
    }

    static bool Available(string program, string arg)
    {
        try { Process(program, arg); return true; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
