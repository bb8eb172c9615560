using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Cli.Fuzz;
using Spec.Syntax;

namespace Spec.Cli.Tests;

public class FuzzTests
{
    [Test]
    public void A_seed_always_makes_the_same_module_and_different_seeds_differ()
    {
        Assert.That(new ModuleGenerator(42).Generate(), Is.EqualTo(new ModuleGenerator(42).Generate()));
        var distinct = Enumerable.Range(0, 20).Select(s => new ModuleGenerator(s).Generate()).Distinct().Count();
        Assert.That(distinct, Is.EqualTo(20));
    }

    static string Fuzz(params string[] args)
    {
        var output = new StringWriter();
        int exit = FuzzCommand.Run([.. args, "--out", Path.Combine(Path.GetTempPath(), "wasmspec-fuzz-tests")], output, TextWriter.Null);
        Assert.That(exit, Is.EqualTo(0), output.ToString());
        return output.ToString();
    }

    [Test]
    public void Generated_modules_validate_round_trip_and_terminate()
    {
        var report = Fuzz("--seed", "1000", "--count", "300");
        Assert.That(report, Does.StartWith("fuzz: seeds 1000..1299; engines interp; features Wasm 3.0"));
        Assert.That(report, Does.Contain("modules: 300 in ").And.Contain("divergences: none").And.Contain("findings: 0"));
        Assert.That(report, Does.Match(@"invocations: interp [1-9]\d*\n"));
    }

    [Test]
    public void The_JIT_agrees_with_the_interpreter_on_generated_modules()
    {
        var report = Fuzz("--seed", "5000", "--count", "300", "--engines", "interp,jit");
        // NaN bits may differ (the spec leaves them open); nothing else may.
        Assert.That(report, Does.Match(@"divergences: (none|jit nan-bits \d+ \(accepted\))\n").And.Contain("findings: 0"));
        var counts = System.Text.RegularExpressions.Regex.Match(report, @"invocations: interp (\d+), jit (\d+)");
        Assert.That(counts.Groups[1].Value, Is.EqualTo(counts.Groups[2].Value).And.Not.EqualTo("0"));
    }

    [Test]
    public void Opcodes_executed_are_counted_over_wasm_3s_opcodes()
    {
        var report = Fuzz("--seed", "1", "--count", "40");
        var m = System.Text.RegularExpressions.Regex.Match(report, @"opcodes executed: (\d+) of (\d+) Wasm 3.0 opcodes");
        Assert.That(m.Success, report);
        Assert.That(int.Parse(m.Groups[1].Value), Is.GreaterThan(200));
        // Wasm 3.0 has almost 500 opcodes by mnemonic, SIMD's included; the wide-arithmetic proposal's are none of them.
        Assert.That(int.Parse(m.Groups[2].Value), Is.GreaterThan(480));
        Assert.That(Coverage.Wasm3, Does.Contain("i32.add").And.Contain("br_on_cast").And.Contain("f32x4.relaxed_madd").And.Not.Contain("i64.add128"));
    }

    [Test]
    public void A_reproducer_is_a_script_the_reference_interpreter_passes()
    {
        var module = new ModuleGenerator(11).Generate();
        var plan = Differential.Plan(module, 11);
        var job = new Job(11, module, Spec.BinaryFormat.Binary.Encode(module), plan);
        var ours = Differential.RunInterpreter(module, plan);
        var theirs = ours with { Outcomes = ours.Outcomes.SetItem(0, new Outcome([], Trap: "made up")) };
        var (text, lines) = Reproducer.Script(job, ours, [("peer", theirs)]);
        Assert.That(text, Does.Contain(";; peer: trap (made up)"));
        Assert.That(text.Split('\n')[lines.Module - 1], Does.StartWith("(module binary "));
        Assert.That(lines.Calls, Has.Length.EqualTo(plan.Length));
        var file = Path.Combine(Path.GetTempPath(), $"wasmspec-reproducer-{Guid.NewGuid()}.wast");
        File.WriteAllText(file, text);
        try { Assert.That(Spec.Wast.Program.Main([file]), Is.EqualTo(0)); }
        finally { File.Delete(file); }
    }

    [Test]
    public void Trap_kinds_match_across_engines_words()
    {
        Assert.That(Differential.TrapKind("integer divide by zero"), Is.EqualTo(Differential.TrapKind("divide by zero")));
        Assert.That(Differential.TrapKind("integer overflow"), Is.EqualTo(Differential.TrapKind("float unrepresentable in integer range")));
        Assert.That(Differential.TrapKind("invalid conversion to integer"), Is.EqualTo("integer-overflow"));
        Assert.That(Differential.TrapKind("out of bounds memory access"), Is.EqualTo(Differential.TrapKind("memory access out of bounds")));
        Assert.That(Differential.TrapKind("uninitialized element"), Is.EqualTo(Differential.TrapKind("null function or function signature mismatch")));
        Assert.That(Differential.TrapKind("unreachable"), Is.Not.EqualTo(Differential.TrapKind("out of bounds memory access")));
    }

    [Test]
    public void Generated_code_reaches_the_interesting_instructions()
    {
        var seen = new HashSet<Type>();
        for (int s = 0; s < 200; s++)
            foreach (var f in new ModuleGenerator(s).Generate().Funcs) Collect(f.Body.Instrs, seen);
        Assert.That(seen, Is.SupersetOf(new[]
        {
            typeof(Loop), typeof(Block), typeof(If), typeof(BrIf), typeof(Call), typeof(Select), typeof(Load), typeof(Spec.Syntax.Store),
            typeof(Binop), typeof(Unop), typeof(Relop), typeof(Testop), typeof(Cvtop), typeof(LocalTee), typeof(GlobalSet),
            typeof(MemoryGrow), typeof(MemorySize), typeof(BrTable), typeof(CallIndirect), typeof(ReturnCall),
            typeof(VBinop), typeof(VShuffle), typeof(VExtractLane), typeof(VNarrow), typeof(VExtbinop), typeof(VSplat),
        }));
        var blockWithParameter = Enumerable.Range(0, 200).Any(s =>
            new ModuleGenerator(s).Generate().Funcs.Any(f => Flatten(f.Body.Instrs).Any(i => i is Block { Type: IdxBlockType })));
        Assert.That(blockWithParameter, Is.True);
    }

    static IEnumerable<Instr> Flatten(ImmutableArray<Instr> code) => code.SelectMany(i => i switch
    {
        Block b => Flatten(b.Body).Prepend(i),
        TryTable t => Flatten(t.Body).Prepend(i),
        Loop l => Flatten(l.Body).Prepend(i),
        If f => Flatten(f.Then).Concat(Flatten(f.Else)).Prepend(i),
        _ => [i],
    });

    static void Collect(ImmutableArray<Instr> code, HashSet<Type> seen)
    {
        foreach (var i in code)
        {
            seen.Add(i.GetType());
            switch (i)
            {
                case Block b: Collect(b.Body, seen); break;
                case TryTable t: Collect(t.Body, seen); break;
                case Loop l: Collect(l.Body, seen); break;
                case If f: Collect(f.Then, seen); Collect(f.Else, seen); break;
            }
        }
    }

    static readonly FuncType F32Result = new([], [ValType.F32]);

    [Test]
    public void Float_results_agree_when_both_are_NaN_whatever_their_bits()
    {
        var canonical = new Outcome([0x7fc0_0000u.ToString()]);
        var payload = new Outcome([0xffc0_0001u.ToString()]);
        Assert.That(Differential.Agree(F32Result, canonical, payload), Is.True);
        Assert.That(Differential.Agree(new FuncType([], [ValType.I32]), canonical, payload), Is.False);
        Assert.That(Differential.Agree(F32Result, canonical, new Outcome([0x3f80_0000u.ToString()])), Is.False);
    }

    [Test]
    public void Traps_agree_with_traps_of_their_kind_only()
    {
        var trap = new Outcome([], Trap: "integer divide by zero");
        Assert.That(Differential.Agree(F32Result, trap, new Outcome([], Trap: "divide by zero")), Is.True);
        Assert.That(Differential.Agree(F32Result, trap, new Outcome([], Trap: "unreachable")), Is.False);
        Assert.That(Differential.Classify(F32Result, trap, new Outcome([], Trap: "unreachable")), Is.EqualTo(("trap-kind", false)));
        Assert.That(Differential.Agree(F32Result, trap, new Outcome(["0"])), Is.False);
        // Exhaustion is up to each engine's limits: counted, accepted, never a finding.
        Assert.That(Differential.Classify(F32Result, new Outcome([], Exhausted: true), trap), Is.EqualTo(("exhaustion", true)));
        Assert.That(Differential.Classify(F32Result, new Outcome([0x7fc0_0000u.ToString()]), new Outcome([0x7fa0_0000u.ToString()])), Is.EqualTo(("nan-bits", true)));
    }

    [Test]
    public void A_peer_that_cannot_run_the_module_lacks_a_feature()
    {
        var module = new ModuleGenerator(3).Generate();
        var plan = Differential.Plan(module, 3);
        var ours = Differential.RunInterpreter(module, plan);
        var d = Differential.Diverge(plan, ours, Run.Refused("invalid opcode"), "peer", memory: true)!;
        Assert.That((d.Kind, d.Accepted), Is.EqualTo(("unsupported-feature", true)));
    }

    [Test]
    public void A_difference_names_the_call_and_both_outcomes()
    {
        var module = new ModuleGenerator(7).Generate();
        var plan = Differential.Plan(module, 7);
        var ours = Differential.RunInterpreter(module, plan);
        Assert.That(Differential.Compare(plan, ours, ours, "peer"), Is.Null);
        var k = plan.Length - 1;
        var changed = ours with { Outcomes = ours.Outcomes.SetItem(k, ours.Outcomes[k].Trap is null ? new Outcome([], Trap: "x") : new Outcome(["1"])) };
        Assert.That(Differential.Compare(plan, ours, changed, "peer"), Does.StartWith($"{plan[k].Export}(").And.Contain($"[call {k}]: interpreter "));
        Assert.That(Differential.Compare(plan, ours, ours with { MemoryHash = ours.MemoryHash + 1 }, "peer"), Does.StartWith("memory after the calls"));
    }

    [Test]
    public void The_interpreter_agrees_with_node()
    {
        // node on the PATH may be node 20, which has none of GC, exceptions, typed function references, relaxed SIMD,
        // memory64 and multi-memory.
        var report = Fuzz("--seed", "5000", "--count", "25", "--engines", "node", "--node", "node", "--features", Node20);
        Assert.That(report, Does.Contain("engines interp, node v").And.Contain("(V8 "));
        Assert.That(report, Does.Contain("findings: 0"));
    }

    [Test]
    public void The_interpreter_agrees_with_wabt()
    {
        var report = Fuzz("--seed", "7000", "--count", "10", "--engines", "wabt", "--features", Node20);
        Assert.That(report, Does.Contain("findings: 0"));
        Assert.That(report, Does.Match(@"invocations: interp (\d+), wabt \1\n"));
    }

    [Test]
    public void Mutants_are_judged_by_our_validator_and_V8s()
    {
        var output = new StringWriter();
        int exit = FuzzCommand.Run(["--validators", "400", "--seed", "3", "--engines", "node", "--node", "node", "--out", Path.GetTempPath()], output, TextWriter.Null);
        var report = output.ToString();
        Assert.That(exit, Is.AnyOf(0, 1), report);
        Assert.That(report, Does.Match(@"^near-valid: (2[89]\d|300) modules with one rule broken, \1 rejected by that rule\n"));
        Assert.That(report, Does.Match(@"\nvalidators: 400 mutants of 20 generated modules \(seed 3\); ours \(Wasm 3.0\) accepts [1-9]\d*, rejects [1-9]\d*\n"));
        var m = System.Text.RegularExpressions.Regex.Match(report, @"node: 400 compared, (\d+) disagreements");
        Assert.That(m.Success, report);
        // Each disagreement is listed in a group with both verdicts.
        if (m.Groups[1].Value != "0") Assert.That(report, Does.Contain("| theirs: "));
    }

    [Test]
    public void Bad_usage_is_refused()
    {
        Assert.That(FuzzCommand.Run(["--count", "0"], TextWriter.Null), Is.EqualTo(2));
        Assert.That(FuzzCommand.Run(["--engines", "other"], TextWriter.Null), Is.EqualTo(2));
        Assert.That(FuzzCommand.Run(["--features", "bogus"], TextWriter.Null), Is.EqualTo(2));
    }

    /// <summary>The features wabt 1.0.32 and node 20 lack.</summary>
    const string Node20 = "-gc,-exceptions,-function-references,-relaxed-simd,-memory64,-multi-memory";

    [Test]
    public void Features_switch_the_generators_parts_and_the_validators_rules()
    {
        var (g, rest) = GeneratorFeatures.Parse("-gc,-memory64,threads");
        Assert.That((g.Gc, g.Memory64, g.Exceptions), Is.EqualTo((false, false, true)));
        Assert.That(rest, Is.EqualTo("-memory64,threads"));
        Assert.That(GeneratorFeatures.Parse(Node20).Generator, Is.EqualTo(GeneratorFeatures.Portable));
        // Without reference types there is nothing to type GC or exceptions' references with.
        Assert.That(GeneratorFeatures.Parse("-reference-types").Generator is { Gc: false, Exceptions: false, FunctionReferences: false });
        for (int seed = 0; seed < 40; seed++)
        {
            var m = new ModuleGenerator(seed, GeneratorFeatures.Portable).Generate();
            var all = m.Funcs.SelectMany(f => Flatten(f.Body.Instrs)).ToList();
            Assert.That(all.OfType<StructNew>().Concat<Instr>(all.OfType<TryTable>()).Concat(all.OfType<CallRef>()).Concat(all.OfType<VTernop>()), Is.Empty);
            Assert.That(m.Mems, Has.Length.EqualTo(1).And.All.Matches<Mem>(mem => mem.Type.AddrType == AddrType.I32));
            Assert.That(Differential.SelfCheck(m, Spec.BinaryFormat.Binary.Encode(m), Features.Default with { Memory64 = false, MultiMemory = false }), Is.Null);
        }
    }

    [Test]
    public void Modules_with_every_feature_validate_and_run_alike_on_both_engines()
    {
        // every module is checked (validation, round trips), and the interpreter and the JIT agree
        var report = Fuzz("--seed", "20000", "--count", "150", "--engines", "interp,jit");
        Assert.That(report, Does.Contain("findings: 0"));
        Assert.That(report, Does.Match(@"relaxed SIMD results within the spec's sets: interp [1-9]\d*, jit [1-9]\d* \(0 other than the interpreter's\)"));
        var m = System.Text.RegularExpressions.Regex.Match(report, @"opcodes executed: (\d+) of (\d+)");
        // 150 modules already reach most of Wasm 3.0
        Assert.That(int.Parse(m.Groups[1].Value), Is.GreaterThan(400), report);
        Assert.That(report, Does.Match(@"never executed: [a-z0-9_. ]+\n"));
    }

    [Test]
    public void Generated_code_reaches_references_GC_exceptions_and_memories()
    {
        var seen = new HashSet<Type>();
        for (int s = 0; s < 60; s++)
            foreach (var f in new ModuleGenerator(s).Generate().Funcs) Collect(f.Body.Instrs, seen);
        Assert.That(seen, Is.SupersetOf(new[]
        {
            typeof(StructNew), typeof(ArrayNewData), typeof(ArrayNewElem), typeof(ArrayCopy), typeof(BrOnCast), typeof(BrOnCastFail),
            typeof(BrOnNull), typeof(BrOnNonNull), typeof(RefEq), typeof(RefTest), typeof(RefCast), typeof(RefI31), typeof(TryTable),
            typeof(Throw), typeof(ThrowRef), typeof(TableInit), typeof(MemoryInit), typeof(DataDrop), typeof(CallRef),
            typeof(VLoadLane), typeof(VStoreLane), typeof(VCvtop), typeof(ReturnCallIndirect), typeof(ReturnCallRef),
        }));
        var modules = Enumerable.Range(0, 60).Select(s => new ModuleGenerator(s).Generate()).ToList();
        Assert.That(modules.Any(m => m.Mems.Length == 2), Is.True);
        Assert.That(modules.Any(m => m.Mems.Any(mem => mem.Type.AddrType == AddrType.I64)), Is.True);
        Assert.That(modules.Any(m => m.Exports.Any(e => e.Name.StartsWith('r'))), Is.True);
    }

    [Test]
    public void Copysign_takes_its_sign_from_a_canonical_NaN()
    {
        // Seed 1038 once made copysign (x, min (-nan, y)): the sign of a NaN result, which the spec leaves open, became
        // the function's result, and the JIT and V8 differed from the interpreter there.
        Assert.That(Fuzz("--seed", "1038", "--count", "1", "--engines", "interp,jit"), Does.Contain("findings: 0"));
        for (int seed = 0; seed < 300; seed++)
            foreach (var f in new ModuleGenerator(seed).Generate().Funcs)
                foreach (var code in Sequences(f.Body.Instrs))
                    for (int k = 0; k < code.Length; k++)
                        if (code[k] is Binop { Op: BinOp.Copysign })
                            Assert.That(code[k - 1] is Select && code[k - 2] is Relop { Op: RelOp.Ne }, $"seed {seed}: copysign of an operand not canonicalised");
    }

    static IEnumerable<ImmutableArray<Instr>> Sequences(ImmutableArray<Instr> code) =>
        code.SelectMany(i => i switch
        {
            Block b => Sequences(b.Body),
            Loop l => Sequences(l.Body),
            If f => Sequences(f.Then).Concat(Sequences(f.Else)),
            TryTable t => Sequences(t.Body),
            _ => [],
        }).Prepend(code);

    static V128 Lanes16(params ushort[] lanes) =>
        new(lanes.Take(4).Select((l, i) => (ulong)l << (16 * i)).Aggregate(0UL, (a, b) => a | b),
            lanes.Skip(4).Select((l, i) => (ulong)l << (16 * i)).Aggregate(0UL, (a, b) => a | b));

    [Test]
    public void Relaxed_results_are_judged_against_the_spec_s_set()
    {
        // i16x8.relaxed_laneselect: bitselect, or each lane's top bit spread; not a select by each byte's top bit
        var a = Lanes16(0x1234, 0, 0, 0, 0, 0, 0, 0);
        var b = Lanes16(0xabcd, 0, 0, 0, 0, 0, 0, 0);
        var mask = Lanes16(0x80ff, 0, 0, 0, 0, 0, 0, 0);
        var laneselect = new RelaxedProbe(new VTernop(Shape.I16x8, VTernOp.RelaxedLaneselect), [a, b, mask]);
        Assert.That(laneselect.Allows(0x2b34, 0), Is.True, "bitselect");
        Assert.That(laneselect.Allows(0x1234, 0), Is.True, "top bit");
        Assert.That(laneselect.Allows(0x1234 & 0xff00 | 0x1234 & 0xff, 0), Is.True);
        Assert.That(laneselect.Allows(0x12cd, 0), Is.False, "byte by byte");
        // relaxed_q15mulr: MIN * MIN saturates or wraps; anything else is q15mulr_sat
        var q15 = new RelaxedProbe(new VBinop(Shape.I16x8, VBinOp.RelaxedQ15MulrS), [Lanes16(0x8000, 0x4000), Lanes16(0x8000, 0x4000)]);
        Assert.That(q15.Allows(0x2000_7fff, 0) && q15.Allows(0x2000_8000, 0), Is.True);
        Assert.That(q15.Allows(0x2001_7fff, 0), Is.False);
        // relaxed_trunc: in range exact, NaN anything
        var nan = BitConverter.SingleToUInt32Bits(float.NaN);
        var trunc = new RelaxedProbe(new VCvtop(Shape.I32x4, Shape.F32x4, VCvtOp.RelaxedTruncS), [new V128(nan | (ulong)BitConverter.SingleToUInt32Bits(-2.5f) << 32, 0)]);
        Assert.That(trunc.Allows(0x1234 | 0xffff_fffeUL << 32, 0), Is.True);
        Assert.That(trunc.Allows(0x1234 | 0xffff_fffdUL << 32, 0), Is.False);
        // relaxed_swizzle: an index of 16..127 gives 0 or the lane modulo 16; of 128.. only 0
        var swizzle = new RelaxedProbe(new VSwizzlop(Shape.I8x16, VSwizzlOp.RelaxedSwizzle), [new V128(0x0807060504030201, 0x100f0e0d0c0b0a09), new V128(0x80_11_00, 0)]);
        Assert.That(swizzle.Allows(0x0101010101_00_02_01, 0x0101010101010101) && swizzle.Allows(0x0101010101_00_00_01, 0x0101010101010101), Is.True);
        Assert.That(swizzle.Allows(0x0101010101_01_02_01, 0x0101010101010101), Is.False);
    }

    /// <summary>A fake engine: the reference interpreter on the module with every i32.xor made i32.or.</summary>
    static Run XorAsOr(Job job) => Differential.RunInterpreter(job.Module with
    {
        Funcs = [.. job.Module.Funcs.Select(f => f with { Body = new Expr(XorToOr(f.Body.Instrs)) })],
    }, job.Plan);

    static ImmutableArray<Instr> XorToOr(ImmutableArray<Instr> code) => [.. code.Select(i => i switch
    {
        Binop { Type: NumType.I32, Op: BinOp.Xor } => new Binop(NumType.I32, BinOp.Or),
        Block b => b with { Body = XorToOr(b.Body) },
        Loop l => l with { Body = XorToOr(l.Body) },
        If f => f with { Then = XorToOr(f.Then), Else = XorToOr(f.Else) },
        TryTable t => t with { Body = XorToOr(t.Body) },
        _ => i,
    })];

    [Test]
    public void A_divergence_is_reduced_to_a_small_valid_module_that_still_diverges()
    {
        Divergence? Diverges(Job j) => Differential.Diverge(j.Plan, Differential.RunInterpreter(j.Module, j.Plan), XorAsOr(j), "fake", memory: true);
        var (job, d) = Enumerable.Range(0, 200).Select(s =>
        {
            var m = new ModuleGenerator(s).Generate();
            var job = new Job(s, m, Spec.BinaryFormat.Binary.Encode(m), Differential.Plan(m, s));
            return (job, d: Diverges(job));
        }).First(x => x.d is { Accepted: false, Call: not null });
        var reduced = new Reducer(Features.Default, jobs => [.. jobs.Select(Diverges)], budget: 1500).Reduce(job, d!);
        Assert.That(() => Spec.Validation.Validator.Validate(reduced.Module), Throws.Nothing);
        var again = Diverges(reduced);
        Assert.That(again, Is.Not.Null);
        Assert.That((again!.Kind, reduced.Plan[again.Call!.Value].Export), Is.EqualTo((d!.Kind, job.Plan[d.Call!.Value].Export)));
        var before = Spec.TextFormat.Text.Print(job.Module).Length;
        var after = Spec.TextFormat.Text.Print(reduced.Module).Length;
        TestContext.Out.WriteLine($"seed {job.Seed}: {before} -> {after} characters");
        Assert.That(after, Is.LessThan(before / 5), $"{before} -> {after} characters");
        Assert.That(reduced.Plan, Has.Length.EqualTo(1));
        Assert.That(reduced.Module.Funcs.SelectMany(f => Flatten(f.Body.Instrs)).OfType<Binop>().Any(b => b is { Type: NumType.I32, Op: BinOp.Xor }), Is.True);
    }

}
