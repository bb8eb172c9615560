using System.Diagnostics;
using System.Globalization;
using Spec.BinaryFormat;
using Spec.TextFormat;
using WasmSpec;

namespace Spec.Bench;

/// <summary>
/// `calls [MILLIONS]`: the embedding API's call overhead on each engine beside node's in the same run. Host→Wasm: a
/// typed delegate calling an empty export, N times from .NET (node: N calls of the export from JS). Wasm→host: one
/// export looping N times over an imported host function that does nothing (node: the same module, a JS import).
/// Each figure is the best of five rounds, in millions of calls per second.
/// </summary>
internal static class Calls
{
    const string Wat = """
        (module
          (import "host" "nop" (func $nop))
          (func (export "empty"))
          (func (export "callhost") (param $n i32)
            (loop $again
              (call $nop)
              (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
        """;

    const string Js = """
        const fs = require('fs');
        const [file, n] = [process.argv[2], Number(process.argv[3])];
        const { instance } = await WebAssembly.instantiate(fs.readFileSync(file), { host: { nop() {} } });
        const { empty, callhost } = instance.exports;
        const best = (f) => { let b = Infinity; for (let r = 0; r < 5; r++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t); } return b / 1000; };
        const hostToWasm = best(() => { for (let i = 0; i < n; i++) empty(); });
        const wasmToHost = best(() => callhost(n));
        console.log(`${hostToWasm} ${wasmToHost}`);
        """;

    public static int Run(string[] args)
    {
        int n = (int)((args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2) * 1_000_000);
        var wasm = Binary.Encode(Text.Parse(Wat));
        Console.WriteLine($"{n:N0} calls each way; best of 5 rounds; millions of calls per second (higher is better)");
        Console.WriteLine($"{"",-14} {"host->Wasm",12} {"Wasm->host",12}");
        var node = Node(wasm, n);
        if (node is { } js) Console.WriteLine($"{"node",-14} {n / js.HostToWasm / 1e6,12:F1} {n / js.WasmToHost / 1e6,12:F1}");
        else Console.WriteLine("node: not found");
        foreach (var kind in new[] { EngineKind.Jit, EngineKind.Interpreter })
        {
            var engine = new Engine(new EngineConfig { Kind = kind });
            var linker = new Linker(engine);
            linker.Define("host", "nop", () => { });
            using var store = new Store(engine);
            var instance = linker.Instantiate(store, Module.FromBytes(engine, wasm));
            var empty = instance.GetAction("empty");
            var callhost = instance.GetAction<int>("callhost");
            // The interpreter is far slower per call: a tenth of the calls keeps the run short, the rate is the same.
            int count = kind == EngineKind.Jit ? n : n / 10;
            double hostToWasm = Best(() => { for (int i = 0; i < count; i++) empty(); });
            double wasmToHost = Best(() => callhost(count));
            var line = $"{kind,-14} {count / hostToWasm / 1e6,12:F1} {count / wasmToHost / 1e6,12:F1}";
            if (node is { } j) line += $"   ratio to node: {(count / hostToWasm) / (n / j.HostToWasm):F2}x, {(count / wasmToHost) / (n / j.WasmToHost):F2}x";
            Console.WriteLine(line);
        }
        if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        return 0;
    }

    static double Best(Action round)
    {
        double best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            round();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>node's seconds for <paramref name="n"/> calls each way, or null without node.</summary>
    static (double HostToWasm, double WasmToHost)? Node(byte[] wasm, int n)
    {
        var dir = Directory.CreateTempSubdirectory("wasmspec-calls-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "calls.wasm"), wasm);
            File.WriteAllText(Path.Combine(dir, "calls.mjs"), Js.Replace("const fs = require('fs');", "import fs from 'fs';"));
            var psi = new ProcessStartInfo("node", [Path.Combine(dir, "calls.mjs"), Path.Combine(dir, "calls.wasm"), n.ToString(CultureInfo.InvariantCulture)])
                { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return null;
            var parts = output.Trim().Split(' ');
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
