using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Wast.Tests;

/// <summary>The runner's bookkeeping, over a fake front end and engine whose behaviour the module text selects.</summary>
public class RunnerTests
{
    sealed class FakeError(Phase phase, string reason) : WasmException(phase, reason, null);

    /// <summary>Parses a module into an empty module named by its source, so that later phases can see what it was.</summary>
    static Module ParseText(byte[] utf8)
    {
        string source = System.Text.Encoding.UTF8.GetString(utf8);
        if (source.Contains("bad")) throw new ParseException("unknown operator", 1, 2);
        if (source.Contains("crash")) throw new IndexOutOfRangeException("boom");
        return Module.Empty with { Names = Names.Empty with { Module = source } };
    }

    static Module Decode(byte[] bytes) =>
        bytes.Length > 0 && bytes[0] == 0 ? Module.Empty with { Names = Names.Empty with { Module = "binary" } } : throw new FakeError(Phase.Decode, "magic header not detected");

    static void Validate(Module m)
    {
        if (m.Names.Module!.Contains("invalid")) throw new FakeError(Phase.Validate, "type mismatch in block");
    }

    sealed class FakeInstance(string source) : IScriptInstance
    {
        public string Source { get; } = source;

        public ImmutableArray<Arg> Invoke(string name, ImmutableArray<Arg> args) => name switch
        {
            "one" => [new NumArg(NumType.I32, 1)],
            "echo" => args,
            "nan" => [new NumArg(NumType.F32, 0x7fc0_0000)],
            "div" => throw new FakeError(Phase.Execute, "integer divide by zero"),
            "deep" => throw new AbortException(AbortKind.Exhaustion, "call stack exhausted"),
            "throw" => throw new AbortException(AbortKind.Exception, "uncaught exception"),
            "source" => [new NumArg(NumType.I32, (ulong)Source.Length)],
            "crash" => throw new NullReferenceException(),
            _ => throw new FakeError(Phase.Link, $"unknown export {name}"),
        };

        public Arg Get(string name) => name == "g" ? new NumArg(NumType.I64, 5) : throw new FakeError(Phase.Link, "unknown export");
    }

    sealed class FakeEngine : IScriptEngine
    {
        public readonly List<IReadOnlyDictionary<string, IScriptInstance>> Registries = [];
        public string Name => "fake";
        public IScriptInstance Spectest() => new FakeInstance("spectest");

        public IScriptInstance Instantiate(Module module, IReadOnlyDictionary<string, IScriptInstance> registry)
        {
            Registries.Add(new Dictionary<string, IScriptInstance>(registry));
            string source = module.Names.Module!;
            if (source.Contains("unlinkable")) throw new FakeError(Phase.Link, "unknown import");
            if (source.Contains("trapping")) throw new FakeError(Phase.Execute, "unreachable executed");
            return new FakeInstance(source);
        }
    }

    static readonly Frontend All = new(ParseText, Decode, Validate);

    static FileResult Run(string script, Frontend frontend, IScriptEngine? engine = null) =>
        new ScriptRunner(frontend, engine).Run(WastParser.Parse("t.wast", script), "t.wast");

    static (int, int, int) Counts(FileResult r, string kind) =>
        r.Kinds.TryGetValue(kind, out var c) ? (c.Passed, c.Failed, c.Skipped) : (0, 0, 0);

    [Test]
    public void Without_phases_or_engine_everything_is_skipped()
    {
        var r = Run("(module)\n(assert_return (invoke \"one\") (i32.const 1))\n(assert_malformed (module quote \"x\") \"m\")\n(register \"a\")",
            new Frontend(null, null, null));
        Assert.That((r.Passed, r.Failed, r.Skipped), Is.EqualTo((0, 0, 4)));
        Assert.That(Counts(r, "module"), Is.EqualTo((0, 0, 1)));
        Assert.That(r.Kinds.Keys, Is.EquivalentTo(new[] { "module", "assert_return", "assert_malformed", "register" }));
    }

    [Test]
    public void Without_an_engine_modules_pass_when_they_parse_and_validate_and_fail_with_their_phase()
    {
        var r = Run("(module)\n(module bad)\n(module invalid)\n(module binary \"\\00asm\")\n(module binary \"x\")\n(module crash)", All);
        Assert.That(Counts(r, "module"), Is.EqualTo((2, 4, 0)));
        Assert.That(r.Failures.Select(f => (f.Line, f.Phase)), Is.EqualTo(new[] { (2, Phase.Parse), (3, Phase.Validate), (5, Phase.Decode), (6, Phase.Parse) }));
        Assert.That(r.Failures[0].Message, Is.EqualTo("1:2: unknown operator"));
        Assert.That(r.Failures[3].Message, Does.StartWith("internal error: IndexOutOfRangeException"));
    }

    [Test]
    public void Assert_malformed_passes_only_when_parsing_or_decoding_rejects()
    {
        var r = Run("(assert_malformed (module quote \"bad\") \"unexpected token\")\n" +
                    "(assert_malformed (module quote \"fine\") \"unexpected token\")\n" +
                    "(assert_malformed (module binary \"x\") \"magic header\")\n" +
                    "(assert_malformed (module quote \"invalid\") \"oops\")\n" +
                    "(assert_malformed (module quote \"crash\") \"oops\")", All);
        Assert.That(Counts(r, "assert_malformed"), Is.EqualTo((2, 3, 0)));
        Assert.That(r.Failures.Select(f => f.Line), Is.EqualTo(new[] { 2, 4, 5 }));
        Assert.That(r.Failures[0].Message, Is.EqualTo("module accepted, expected \"unexpected token\""));
    }

    [Test]
    public void Assert_invalid_is_skipped_without_a_validator_and_compares_the_message_prefix_with_one()
    {
        const string script = "(assert_invalid (module invalid) \"type mismatch\")\n(assert_invalid (module invalid) \"unknown type\")\n(assert_invalid (module) \"type mismatch\")\n(assert_invalid (module bad) \"x\")";
        var without = Run(script, All with { Validate = null });
        Assert.That(Counts(without, "assert_invalid"), Is.EqualTo((0, 1, 3)));
        Assert.That(without.Failures.Single().Phase, Is.EqualTo(Phase.Parse));
        var with = Run(script, All);
        Assert.That(Counts(with, "assert_invalid"), Is.EqualTo((1, 3, 0)));
        Assert.That(with.Failures.Select(f => f.Line), Is.EqualTo(new[] { 2, 3, 4 }));
    }

    [Test]
    public void Actions_run_on_the_engine_and_results_are_matched()
    {
        var r = Run("(module $m)\n" +
                    "(assert_return (invoke \"one\") (i32.const 1))\n" +
                    "(assert_return (invoke $m \"one\") (i32.const 2))\n" +
                    "(assert_return (invoke \"nan\") (f32.const nan:canonical))\n" +
                    "(assert_return (invoke \"echo\" (i64.const 3) (ref.extern 1)) (i64.const 3) (ref.extern 1))\n" +
                    "(assert_return (get \"g\") (i64.const 5))\n" +
                    "(invoke \"div\")\n" +
                    "(assert_return (invoke \"one\"))", All, new FakeEngine());
        Assert.That(Counts(r, "assert_return"), Is.EqualTo((4, 2, 0)));
        Assert.That(Counts(r, "invoke"), Is.EqualTo((0, 1, 0)));
        Assert.That(r.Failures.Select(f => (f.Line, f.Kind, f.Phase)), Is.EqualTo(new[]
        {
            (3, "assert_return", Phase.Execute), (7, "invoke", Phase.Execute), (8, "assert_return", Phase.Execute),
        }));
        Assert.That(r.Failures[0].Message, Is.EqualTo("result [(i32.const 1)], expected [(i32.const 2)]"));
    }

    [Test]
    public void Abnormal_endings_are_told_apart()
    {
        var r = Run("(module)\n" +
                    "(assert_trap (invoke \"div\") \"integer divide\")\n" +
                    "(assert_trap (invoke \"div\") \"unreachable\")\n" +
                    "(assert_trap (invoke \"deep\") \"call stack exhausted\")\n" +
                    "(assert_exhaustion (invoke \"deep\") \"call stack exhausted\")\n" +
                    "(assert_exception (invoke \"throw\"))\n" +
                    "(assert_exception (invoke \"one\"))", All, new FakeEngine());
        Assert.That(Counts(r, "assert_trap"), Is.EqualTo((1, 2, 0)));
        Assert.That(Counts(r, "assert_exhaustion"), Is.EqualTo((1, 0, 0)));
        Assert.That(Counts(r, "assert_exception"), Is.EqualTo((1, 1, 0)));
        Assert.That(r.Failures.Select(f => f.Line), Is.EqualTo(new[] { 3, 4, 7 }));
    }

    [Test]
    public void Instantiation_failures_and_the_registry()
    {
        var engine = new FakeEngine();
        var r = Run("(module $a)\n(register \"A\" $a)\n" +
                    "(assert_unlinkable (module unlinkable) \"unknown import\")\n" +
                    "(assert_unlinkable (module) \"unknown import\")\n" +
                    "(assert_trap (module trapping) \"unreachable\")\n" +
                    "(assert_uninstantiable (module trapping) \"unreachable\")\n" +
                    "(assert_uninstantiable (module unlinkable) \"unreachable\")\n" +
                    "(register \"B\" $nope)", All, engine);
        Assert.That(Counts(r, "register"), Is.EqualTo((1, 1, 0)));
        Assert.That(Counts(r, "assert_unlinkable"), Is.EqualTo((1, 1, 0)));
        Assert.That(Counts(r, "assert_trap"), Is.EqualTo((1, 0, 0)));
        Assert.That(Counts(r, "assert_uninstantiable"), Is.EqualTo((1, 1, 0)));
        Assert.That(engine.Registries[0].Keys, Is.EquivalentTo(new[] { "spectest" }));
        Assert.That(engine.Registries[1].Keys, Is.EquivalentTo(new[] { "spectest", "A" }));
    }

    [Test]
    public void Definitions_are_instantiated_by_module_instance()
    {
        var engine = new FakeEngine();
        var r = Run("(module definition $D (memory 1))\n(module instance $I $D)\n(assert_return (invoke $I \"source\") (i32.const 22))\n(module instance $J $E)",
            All, engine);
        Assert.That(Counts(r, "module"), Is.EqualTo((2, 1, 0)));
        Assert.That(Counts(r, "assert_return"), Is.EqualTo((1, 0, 0)));
        Assert.That(engine.Registries, Has.Count.EqualTo(1));
    }

    [Test]
    public void Module_instance_without_a_definition_name_instantiates_the_last_module()
    {
        var r = Run("(module $A (memory 1))\n(module definition (func))\n(module instance $I)\n(assert_return (invoke $I \"source\") (i32.const 15))\n" +
                    "(module instance $J $A)\n(assert_return (invoke $J \"source\") (i32.const 22))", All, new FakeEngine());
        Assert.That(Counts(r, "module"), Is.EqualTo((4, 0, 0)));
        Assert.That(Counts(r, "assert_return"), Is.EqualTo((2, 0, 0)));
    }

    [Test]
    public void Actions_on_a_module_that_failed_fail_and_say_why()
    {
        var r = Run("(module)\n(module bad)\n(assert_return (invoke \"one\") (i32.const 1))", All, new FakeEngine());
        Assert.That(r.Failures.Select(f => (f.Line, f.Message)), Is.EqualTo(new[] { (2, "1:2: unknown operator"), (3, "module at line 2 failed") }));
    }

    [Test]
    public void Actions_on_a_skipped_module_are_skipped_not_run_on_the_previous_one()
    {
        var r = Run("(module binary \"\\00asm\")\n(module $t (func))\n(assert_return (invoke \"one\") (i32.const 1))\n(assert_return (invoke $t \"one\") (i32.const 1))",
            All with { ParseText = null }, new FakeEngine());
        Assert.That((r.Passed, r.Failed, r.Skipped), Is.EqualTo((1, 0, 3)));
    }

    [Test]
    public void A_failed_module_name_does_not_reach_an_earlier_instance_of_that_name()
    {
        var r = Run("(module $m)\n(module $m bad)\n(assert_return (invoke $m \"one\") (i32.const 1))", All, new FakeEngine());
        Assert.That(r.Failures.Select(f => (f.Line, f.Message)), Is.EqualTo(new[] { (2, "1:2: unknown operator"), (3, "module at line 2 failed") }));
    }

    [Test]
    public void An_engine_crash_is_one_failure_and_the_run_goes_on()
    {
        var r = Run("(module)\n(assert_return (invoke \"crash\"))\n(assert_trap (invoke \"crash\") \"x\")\n(assert_return (invoke \"one\") (i32.const 1))", All, new FakeEngine());
        Assert.That(r.Failures.Select(f => (f.Line, f.Phase)), Is.EqualTo(new[] { (2, Phase.Execute), (3, Phase.Execute) }));
        Assert.That(r.Failures.Select(f => f.Message), Has.All.StartWith("internal error: NullReferenceException"));
        Assert.That(r.Passed, Is.EqualTo(2));
    }

    [Test]
    public void Threads_are_skipped()
    {
        var r = Run("(thread $T (invoke \"f\"))\n(wait $T)", All, new FakeEngine());
        Assert.That((r.Passed, r.Failed, r.Skipped), Is.EqualTo((0, 0, 2)));
    }
}
