using System.Diagnostics;
using System.Globalization;
using Spec.BinaryFormat;
using Spec.Cli.Fuzz;
using Spec.Syntax;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>
/// wasmspec fuzz [--seed N] [--count N] [--engines LIST] [--features LIST] [--out DIR] [--node PATH]: generates
/// modules from consecutive seeds, checks each (it validates, round-trips through both formats, runs with only typed
/// errors), runs it on the reference interpreter and on every other engine listed, and compares. A divergence of a
/// kind the spec does not allow is written to DIR/seed-N.wast, a script a maintainer can run; accepted kinds are
/// counted only. Exit status: 0 no finding, 1 findings, 2 bad usage or an engine that could not run.
/// </summary>
internal static class FuzzCommand
{
    internal const string Usage = "usage: wasmspec fuzz [--seed N] [--count N] [--engines interp,jit,node,wabt] [--features LIST] [--out DIR] [--no-reduce] [--node PATH]\n" +
        "       wasmspec fuzz --validators N [--seed N] [--engines node,wabt] [--wabt-every K] [--out DIR] [--node PATH]";

    /// <summary>How many divergences of one signature (engine, kind, relaxed operator) are reduced.</summary>
    const int ReducedPerSignature = 3;

    /// <summary>Modules per batch: engines in another process start once per batch.</summary>
    const int Batch = 50;

    public static int Run(string[] args) => Run(args, Console.Out);

    internal static int Run(string[] args, TextWriter output, TextWriter? progress = null)
    {
        int seed = Environment.TickCount & int.MaxValue, count = 100;
        string engines = "interp", outDir = "fuzz-findings";
        string? node = null;
        var features = Features.Default;
        var generated = GeneratorFeatures.All;
        int? validators = null;
        int wabtEvery = 5;
        bool reduce = true;
        for (int k = 0; k < args.Length; k++)
        {
            string? Next() => ++k < args.Length ? args[k] : null;
            switch (args[k])
            {
                case "--seed" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var s): seed = s; break;
                case "--count" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0: count = c; break;
                case "--engines" when Next() is { } list: engines = list; break;
                case "--features" when Next() is { } list:
                    try
                    {
                        (generated, var validatorList) = GeneratorFeatures.Parse(list);
                        features = Features.Parse(validatorList);
                    }
                    catch (ArgumentException e) { return Refuse(e.Message); }
                    break;
                case "--out" when Next() is { } dir: outDir = dir; break;
                case "--no-reduce": reduce = false; break;
                case "--node" when Next() is { } path: node = path; break;
                case "--validators" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0: validators = v; break;
                case "--wabt-every" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e > 0: wabtEvery = e; break;
                default: return Refuse(null);
            }
        }
        if (validators is { } mutantCount)
        {
            try
            {
                var names = engines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(e => e != "interp").ToList();
                return ValidatorDifferential.Run(seed, mutantCount, names, node, wabtEvery, outDir, output);
            }
            catch (ArgumentException e) { return Refuse(e.Message); }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine($"wasmspec fuzz: a validator failed: {e.Message}");
                return ExitStatus.Usage;
            }
        }
        IReadOnlyList<Peer> peers;
        try { peers = Peer.Parse(engines, node); }
        catch (ArgumentException e) { return Refuse(e.Message); }
        var interp = (Interp)peers[0];
        // --features says what the generator uses (so that a peer lacking a feature is given modules it runs) and which
        // rules the modules are validated by.
        var tally = new Tally(peers);
        var scratch = Directory.CreateTempSubdirectory("wasmspec-fuzz-").FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            output.WriteLine($"fuzz: seeds {seed}..{unchecked(seed + count - 1)}; engines {string.Join(", ", peers.Select(p => p.Description))}; features {(features.ToString() is "" ? "Wasm 3.0" : features.ToString())}{(generated.ToString() is "" ? "" : $"; generator {generated}")}");
            for (int start = 0; start < count; start += Batch)
            {
                var jobs = new List<Job>();
                for (int n = start; n < Math.Min(count, start + Batch); n++)
                {
                    int s = unchecked(seed + n);
                    var module = new ModuleGenerator(s, generated).Generate();
                    var binary = Binary.Encode(module);
                    tally.Modules++;
                    if (Differential.SelfCheck(module, binary, features) is { } failed) { tally.Finding(output, s, "self-check", failed); continue; }
                    jobs.Add(new Job(s, module, binary, Differential.Plan(module, s)));
                }
                var reference = interp.RunAll(jobs, [], scratch);
                tally.Invocations[interp.Name] += jobs.Sum(j => j.Plan.Length);
                for (int k = 0; k < jobs.Count; k++)
                    for (int c = 0; c < jobs[k].Plan.Length; c++)
                        if (jobs[k].Plan[c].Probe is { } probe)
                        {
                            if (Differential.WithinRelaxed(probe, reference[k].Outcomes[c])) tally.Relaxed(interp.Name, same: true);
                            else tally.Finding(output, jobs[k].Seed, "relaxed-result", $"{jobs[k].Plan[c].Export}: interpreter {reference[k].Outcomes[c]}, outside the spec's set");
                        }
                foreach (var peer in peers.Skip(1))
                {
                    var runs = peer.RunAll(jobs, reference, scratch);
                    for (int k = 0; k < jobs.Count; k++)
                    {
                        if (runs[k].Unsupported is null)
                        {
                            tally.Invocations[peer.Name] += jobs[k].Plan.Length;
                            for (int c = 0; c < jobs[k].Plan.Length; c++)
                                if (jobs[k].Plan[c].Probe is { } probe && Differential.WithinRelaxed(probe, runs[k].Outcomes[c]))
                                    tally.Relaxed(peer.Name, same: reference[k].Outcomes[c].Results.SequenceEqual(runs[k].Outcomes[c].Results));
                        }
                        if (Differential.Diverge(jobs[k].Plan, reference[k], runs[k], peer.Name, peer.ReportsMemory) is not { } d) continue;
                        tally.Count(peer.Name, d.Kind);
                        if (d.Accepted) continue;
                        var path = Path.Combine(outDir, $"seed-{jobs[k].Seed}-{peer.Name}.wast");
                        Directory.CreateDirectory(outDir);
                        // Reduction costs hundreds of runs: the first few divergences of each signature are reduced, the rest kept whole.
                        var signature = $"{peer.Name} {d.Kind}{(d.Call is { } c0 && jobs[k].Plan[c0].Probe is { } p0 ? " " + Interp.Mnemonic(p0.Op) : "")}";
                        bool reduceThis = reduce && tally.Reduced(signature) <= ReducedPerSignature;
                        File.WriteAllText(path, reduceThis ? Reduced(jobs[k], d, peer, features, scratch)
                            : $";; not reduced: the first {ReducedPerSignature} divergences of this kind ({signature}) were\n" + Reproducer.Script(jobs[k], reference[k], [(peer.Name, runs[k])]).Text);
                        tally.Finding(output, jobs[k].Seed, d.Kind, $"{d.Detail} (reproducer {path})");
                    }
                }
                for (int k = 0; k < jobs.Count; k++)
                    if (reference[k].Outcomes.Any(o => o.Exhausted)) tally.Finding(output, jobs[k].Seed, "generator", "an invocation ran out of fuel or stack in the interpreter");
                (progress ?? Console.Error).Write($"\rfuzz: {tally.Modules}/{count} modules, {tally.Modules / clock.Elapsed.TotalSeconds:f1}/s, {tally.Findings} findings ");
            }
            (progress ?? Console.Error).WriteLine();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"wasmspec fuzz: an engine failed: {e.Message}");
            return ExitStatus.Usage;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        tally.Report(output, interp, clock.Elapsed);
        return tally.Findings == 0 ? ExitStatus.Success : ExitStatus.Failed;
    }

    /// <summary>The reproducer of a divergence: the job reduced while the same divergence persists (<see cref="Reducer"/>),
    /// run again on both engines, as a script.</summary>
    static string Reduced(Job job, Divergence d, Peer peer, Features features, string scratch)
    {
        var reference = new Interp();
        IReadOnlyList<Divergence?> Rerun(IReadOnlyList<Job> candidates)
        {
            try
            {
                var ours = reference.RunAll(candidates, [], scratch);
                var theirs = peer.RunAll(candidates, ours, scratch);
                return [.. candidates.Select((c, k) => Differential.Diverge(c.Plan, ours[k], theirs[k], peer.Name, peer.ReportsMemory))];
            }
            catch (Exception e) when (e is InvalidOperationException or WasmException) { return new Divergence?[candidates.Count]; }
        }
        // V8 starts once per batch: many candidates a batch, of which the first that still diverges is taken.
        var reducer = new Reducer(features, Rerun, budget: peer is WabtPeer ? 300 : 1500, batch: peer is NodePeer ? 24 : 1);
        var reduced = reducer.Reduce(job, d);
        var ours = reference.RunAll([reduced], [], scratch);
        var theirs = peer.RunAll([reduced], ours, scratch);
        return $";; reduced from seed {job.Seed}'s module ({job.Binary.Length} bytes, {job.Plan.Length} calls) to {reduced.Binary.Length} bytes, " +
            $"{reduced.Plan.Length} calls, by {reducer.Runs} runs\n" + Reproducer.Script(reduced, ours[0], [(peer.Name, theirs[0])]).Text;
    }

    static int Refuse(string? why)
    {
        if (why is not null) Console.Error.WriteLine($"wasmspec fuzz: {why}");
        Console.Error.WriteLine(Usage);
        return ExitStatus.Usage;
    }

    /// <summary>What a run counted: modules, invocations per engine, divergences per engine and kind, findings.</summary>
    sealed class Tally(IReadOnlyList<Peer> peers)
    {
        public int Modules, Findings;
        public readonly Dictionary<string, long> Invocations = peers.ToDictionary(p => p.Name, _ => 0L);
        readonly SortedDictionary<string, int> divergences = new(StringComparer.Ordinal);

        readonly Dictionary<string, (long Within, long Other)> relaxed = new(StringComparer.Ordinal);

        public void Count(string peer, string kind) => divergences[$"{peer} {kind}"] = divergences.GetValueOrDefault($"{peer} {kind}") + 1;

        readonly Dictionary<string, int> reductions = new(StringComparer.Ordinal);

        /// <summary>Counts one more divergence of <paramref name="signature"/>, and says how many so far.</summary>
        public int Reduced(string signature) => reductions[signature] = reductions.GetValueOrDefault(signature) + 1;

        /// <summary>A relaxed SIMD result within the spec's set; <paramref name="same"/>: the same as the interpreter's.</summary>
        public void Relaxed(string peer, bool same)
        {
            var (within, other) = relaxed.GetValueOrDefault(peer);
            relaxed[peer] = (within + 1, other + (same ? 0 : 1));
        }

        public void Finding(TextWriter output, int seed, string kind, string detail)
        {
            Findings++;
            output.WriteLine($"seed {seed}: {kind}: {detail}");
        }

        public void Report(TextWriter output, Interp interp, TimeSpan elapsed)
        {
            output.WriteLine($"modules: {Modules} in {elapsed.TotalSeconds:f1} s ({Modules / Math.Max(elapsed.TotalSeconds, 1e-3):f1}/s)");
            output.WriteLine($"invocations: {string.Join(", ", Invocations.Select(kv => $"{kv.Key} {kv.Value}"))}");
            if (relaxed.Count > 0)
                output.WriteLine($"relaxed SIMD results within the spec's sets: {string.Join(", ", relaxed.Select(kv => $"{kv.Key} {kv.Value.Within}{(kv.Key == interp.Name ? "" : $" ({kv.Value.Other} other than the interpreter's)")}"))}");
            output.WriteLine($"divergences: {(divergences.Count == 0 ? "none" : string.Join(", ", divergences.Select(kv => $"{kv.Key} {kv.Value}{(Accepted(kv.Key) ? " (accepted)" : "")}")))}");
            var executed = interp.Executed.Keys.Where(Coverage.Wasm3.Contains).ToHashSet();
            output.WriteLine($"opcodes executed: {executed.Count} of {Coverage.Wasm3.Count} Wasm 3.0 opcodes ({100.0 * executed.Count / Coverage.Wasm3.Count:f1}%)");
            var never = Coverage.Wasm3.Where(op => !executed.Contains(op)).Order(StringComparer.Ordinal).ToList();
            output.WriteLine($"never executed: {(never.Count == 0 ? "none" : string.Join(" ", never))}");
            output.WriteLine($"findings: {Findings}");
        }

        static bool Accepted(string key) => key.EndsWith(" nan-bits") || key.EndsWith(" relaxed") || key.EndsWith(" trap-precedence") || key.EndsWith(" exhaustion") || key.EndsWith(" unsupported-feature");
    }
}
