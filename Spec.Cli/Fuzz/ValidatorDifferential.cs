using System.Text;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.Validation;
using Spec.Wast;

namespace Spec.Cli.Fuzz;

/// <summary>
/// The validator differential: generated modules mutated a few bytes at a time, each accepted or rejected by our
/// decoder and validator (Wasm 3.0 exactly), by V8's WebAssembly.validate and by wabt's wasm-validate. The features
/// the mutants can reach beyond the generator's (a flag byte turned into memory64's, an opcode into GC's) are what the
/// engines may differ on; every disagreement is kept with both engines' reasons, grouped for triage.
/// </summary>
internal static class ValidatorDifferential
{
    /// <summary>One mutant: its bytes, and our verdict (null if valid, else phase and reason).</summary>
    sealed record Mutant(int Index, byte[] Bytes, string? Ours);

    public static int Run(int seed, int count, IReadOnlyList<string> engines, string? node, int wabtEvery, string outDir, TextWriter output)
    {
        var rng = new Random(seed);
        var mutants = new List<Mutant>(count);
        byte[] original = [];
        for (int k = 0; k < count; k++)
        {
            if (k % 20 == 0) original = Binary.Encode(new ModuleGenerator(unchecked(seed + k / 20), GeneratorFeatures.Portable).Generate());
            var bytes = Mutate(rng, original);
            mutants.Add(new Mutant(k, bytes, Ours(bytes)));
        }
        // Near-valid modules: each breaks one rule, and must be rejected by that rule with its message.
        int nearValid = 0;
        var wrongRule = new List<string>();
        for (int k = 0; k < (count + 19) / 20; k++)
            foreach (var broken in NearValid.Of(new ModuleGenerator(unchecked(seed + k), GeneratorFeatures.Portable).Generate()))
            {
                nearValid++;
                try { Validator.Validate(broken.Module); wrongRule.Add($"seed {seed + k}: {broken.Rule}: accepted"); }
                catch (ValidationException e) when (e.Rule == broken.Rule && e.Reason.StartsWith(broken.Reason, StringComparison.Ordinal)) { }
                catch (ValidationException e) { wrongRule.Add($"seed {seed + k}: {broken.Rule}: rejected by {e.Rule}: {e.Reason}"); }
            }
        output.WriteLine($"near-valid: {nearValid} modules with one rule broken, {nearValid - wrongRule.Count} rejected by that rule");
        foreach (var w in wrongRule.Take(20)) output.WriteLine($"  {w}");
        int accepted = mutants.Count(m => m.Ours is null);
        output.WriteLine($"validators: {count} mutants of {(count + 19) / 20} generated modules (seed {seed}); ours (Wasm 3.0) accepts {accepted}, rejects {count - accepted}");
        var scratch = Directory.CreateTempSubdirectory("wasmspec-validators-").FullName;
        int disagreements = 0;
        try
        {
            foreach (var engine in engines)
            {
                var verdicts = engine switch
                {
                    "node" => Node(node ?? NodePeer.DefaultPath(), mutants, scratch),
                    "wabt" => Wabt(mutants, wabtEvery, scratch),
                    _ => throw new ArgumentException($"unknown validator {engine} (node, wabt)"),
                };
                var differing = verdicts.Where(v => (v.Theirs is null) != (mutants[v.Index].Ours is null)).ToList();
                disagreements += differing.Count;
                output.WriteLine($"{engine}: {verdicts.Count} compared, {differing.Count} disagreements " +
                    $"({differing.Count(v => mutants[v.Index].Ours is null)} we accept, {differing.Count(v => mutants[v.Index].Ours is not null)} we reject)");
                foreach (var group in differing.GroupBy(v => Group(mutants[v.Index], v.Theirs)).OrderByDescending(g => g.Count()))
                {
                    var first = group.First();
                    var file = Path.Combine(outDir, $"{engine}-mutant-{first.Index}.wasm");
                    Directory.CreateDirectory(outDir);
                    File.WriteAllBytes(file, mutants[first.Index].Bytes);
                    output.WriteLine($"  {group.Count(),6}  {group.Key}  (e.g. {file})");
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        return disagreements == 0 && wrongRule.Count == 0 ? ExitStatus.Success : ExitStatus.Failed;
    }

    // What we said, and, when we rejected, whether a proposal switched on would have made the mutant valid: the
    // peers ship some proposals (V8: legacy exceptions, threads) that Wasm 3.0 exactly leaves out.
    static string Group(Mutant m, string? theirs) =>
        $"ours: {Short(m.Ours ?? "valid")}{(m.Ours is not null && Ours(m.Bytes, Features.All) is null ? " (valid with --features all)" : "")} | theirs: {Short(theirs ?? "valid")}";

    // A reason without its offsets and indices, so that one cause groups as one.
    static string Short(string s)
    {
        var line = s.Split('\n')[0];
        line = System.Text.RegularExpressions.Regex.Replace(line, @"0x[0-9a-f]+|\d+", "N");
        return line.Length > 90 ? line[..90] : line;
    }

    static string? Ours(byte[] bytes, Features? features = null)
    {
        try
        {
            Validator.Validate(Binary.Decode(bytes, features ?? Features.Default), features ?? Features.Default);
            return null;
        }
        catch (ValidationException e) { return $"invalid: {e.Reason}"; }
        catch (WasmException e) { return $"malformed: {e.Reason}"; }
    }

    static byte[] Mutate(Random rng, byte[] input)
    {
        var bytes = new List<byte>(input);
        for (int n = rng.Next(1, 3); n > 0; n--)
        {
            // past the header most of the time: mutants of the magic or version teach nothing
            int at = bytes.Count <= 8 ? 0 : rng.Next(8, bytes.Count);
            switch (rng.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: bytes[at] = (byte)rng.Next(256); break;
                case 2: bytes.Insert(at, (byte)rng.Next(256)); break;
                default: bytes.RemoveAt(at); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>V8's verdicts, all mutants in one process: null for valid, else "invalid".</summary>
    static List<(int Index, string? Theirs)> Node(string node, List<Mutant> mutants, string scratch)
    {
        var all = Path.Combine(scratch, "mutants.bin");
        using (var w = new BinaryWriter(File.Create(all)))
            foreach (var m in mutants) { w.Write(m.Bytes.Length); w.Write(m.Bytes); }
        var script = Path.Combine(scratch, "validate.js");
        File.WriteAllText(script, """
            'use strict';
            const b = require('fs').readFileSync(process.argv[2]);
            let out = '';
            for (let p = 0; p < b.length;) {
              const n = b.readInt32LE(p); p += 4;
              let ok = false;
              try { ok = WebAssembly.validate(b.subarray(p, p + n)); } catch (e) { ok = false; }
              out += ok ? '1' : '0'; p += n;
            }
            process.stdout.write(out);
            """);
        var (code, stdout, stderr) = NodePeer.Process(node, [script, all]);
        if (code != 0 || stdout.Length != mutants.Count) throw new InvalidOperationException($"node: {stderr.Trim()}");
        var verdicts = new List<(int, string?)>(mutants.Count);
        for (int k = 0; k < mutants.Count; k++)
        {
            string? theirs = stdout[k] == '1' ? null : "invalid";
            // V8's reason, for the disagreements only: compiling says why.
            if (theirs is not null && mutants[k].Ours is null) theirs = NodeReason(node, mutants[k].Bytes, scratch);
            verdicts.Add((k, theirs));
        }
        return verdicts;
    }

    static string NodeReason(string node, byte[] bytes, string scratch)
    {
        var file = Path.Combine(scratch, "one.wasm");
        File.WriteAllBytes(file, bytes);
        var (_, stdout, _) = NodePeer.Process(node, ["-e", $"try {{ new WebAssembly.Module(require('fs').readFileSync('{file}')); }} catch (e) {{ console.log(e.message); }}"]);
        return stdout.Trim() is { Length: > 0 } why ? why.Replace("WebAssembly.Module(): ", "") : "invalid";
    }

    /// <summary>wasm-validate's verdicts on every <paramref name="every"/>-th mutant (a process each).</summary>
    static List<(int Index, string? Theirs)> Wabt(List<Mutant> mutants, int every, string scratch)
    {
        var verdicts = new List<(int, string?)>();
        var file = Path.Combine(scratch, "m.wasm");
        for (int k = 0; k < mutants.Count; k += every)
        {
            File.WriteAllBytes(file, mutants[k].Bytes);
            var (code, _, stderr) = NodePeer.Process("wasm-validate", ["--enable-tail-call", file]);
            verdicts.Add((k, code == 0 ? null : stderr.Trim().Split('\n')[0].Replace(file + ":", "")));
        }
        return verdicts;
    }
}
