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

    [Test]
    public void Generated_modules_validate_round_trip_and_terminate()
    {
        var output = new StringWriter();
        int exit = FuzzCommand.Run(["--seed", "1000", "--count", "300"], output);
        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Match(@"^fuzz: 300 modules \(seeds 1000\.\.1299\), \d+ invocations \(\d+ trapped\): 0 findings"));
    }

    [Test]
    public void The_JIT_agrees_with_the_interpreter_on_generated_modules()
    {
        var output = new StringWriter();
        int exit = FuzzCommand.Run(["--seed", "5000", "--count", "300", "--peer", "jit"], output);
        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Match(@"^fuzz: 300 modules \(seeds 5000\.\.5299\), \d+ invocations \(\d+ trapped\), compared with jit: 0 findings"));
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
        }));
        var blockWithParameter = Enumerable.Range(0, 200).Any(s =>
            new ModuleGenerator(s).Generate().Funcs.Any(f => Flatten(f.Body.Instrs).Any(i => i is Block { Type: IdxBlockType })));
        Assert.That(blockWithParameter, Is.True);
    }

    static IEnumerable<Instr> Flatten(ImmutableArray<Instr> code) => code.SelectMany(i => i switch
    {
        Block b => Flatten(b.Body).Prepend(i),
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
    public void Traps_agree_with_traps_only()
    {
        var trap = new Outcome([], Trap: "integer divide by zero");
        Assert.That(Differential.Agree(F32Result, trap, new Outcome([], Trap: "divide by zero")), Is.True);
        Assert.That(Differential.Agree(F32Result, trap, new Outcome(["0"])), Is.False);
        Assert.That(Differential.Agree(F32Result, new Outcome([], Exhausted: true), trap), Is.False);
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
        var output = new StringWriter();
        int exit = FuzzCommand.Run(["--seed", "5000", "--count", "25", "--peer", "node", "--save", Path.GetTempPath()], output);
        Assert.That(exit, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("compared with node: 0 findings"));
    }

    [Test]
    public void Bad_usage_is_refused()
    {
        Assert.That(FuzzCommand.Run(["--count", "0"], TextWriter.Null), Is.EqualTo(2));
        Assert.That(FuzzCommand.Run(["--peer", "other"], TextWriter.Null), Is.EqualTo(2));
    }
}
