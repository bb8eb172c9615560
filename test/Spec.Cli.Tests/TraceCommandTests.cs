using NUnit.Framework;
using Spec.Execution;
using Spec.Syntax;

namespace Spec.Cli.Tests;

public class TraceCommandTests
{
    const string Wat = """
        (module
          (func (export "pick") (param i32) (result i32)
            (block (result i32) (br_if 0 (i32.const 7) (local.get 0)) (drop) (i32.const 9)))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "spin") (loop (br 0)))
          (func (export "fneg") (param f32) (result f32) (f32.neg (local.get 0))))
        """;

    string file = "";

    [SetUp]
    public void Write()
    {
        file = Path.ChangeExtension(Path.GetTempFileName(), ".wat");
        File.WriteAllText(file, Wat);
    }

    [TearDown]
    public void Delete() => File.Delete(file);

    static (int, string[]) Trace(params string[] args)
    {
        var output = new StringWriter();
        int exit = TraceCommand.Run(args, output, output);
        return (exit, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Test]
    public void Every_step_is_numbered_and_named_with_the_redex_before_and_after()
    {
        var (exit, lines) = Trace(file, "--invoke", "pick", "1");
        Assert.That(exit, Is.Zero);
        Assert.That(lines[^1], Is.EqualTo("results: i32:7"));
        var steps = lines.Where(l => l.TrimStart().Length > 0 && char.IsDigit(l.TrimStart()[0])).ToList();
        Assert.That(steps.Select(s => int.Parse(s.TrimStart().Split(' ')[0])), Is.EqualTo(Enumerable.Range(1, steps.Count)));
        int brIf = lines.ToList().FindIndex(l => l.EndsWith("Step_pure/br_if-true"));
        Assert.That(brIf, Is.Positive);
        Assert.That(lines[brIf + 1].Trim(), Does.StartWith("i32:7 i32:1 br_if 0"));
        Assert.That(lines[brIf + 2].Trim(), Does.StartWith("~> i32:7 (BR 0)"));
    }

    [Test]
    public void The_other_branch_takes_other_rules()
    {
        var (exit, lines) = Trace(file, "--invoke", "pick", "0");
        Assert.That(exit, Is.Zero);
        Assert.That(lines, Has.Some.EndsWith("Step_pure/br_if-false").And.Some.EndsWith("Step_pure/drop"));
        Assert.That(lines[^1], Is.EqualTo("results: i32:9"));
    }

    [Test]
    public void A_trap_ends_the_trace()
    {
        var (exit, lines) = Trace(file, "--invoke", "div", "-0x80000000", "0");
        Assert.That(exit, Is.EqualTo(134));
        Assert.That(lines[^1], Does.EndWith("trap: integer divide by zero"));
    }

    [Test]
    public void The_limit_stops_a_loop()
    {
        var (exit, lines) = Trace(file, "--invoke", "spin", "--limit", "5");
        Assert.That(exit, Is.EqualTo(135));
        Assert.That(lines[^1], Is.EqualTo("wasmspec trace: stopped after 5 steps (--limit N for more)"));
        Assert.That(lines.Count(l => l.Contains("Step_")), Is.EqualTo(5));
    }

    [Test]
    public void Arguments_are_read_by_the_parameter_types()
    {
        Assert.That(TraceCommand.ParseArg("-1", ValType.I32), Is.EqualTo(Value.I32(-1)));
        Assert.That(TraceCommand.ParseArg("0xffffffff", ValType.I32), Is.EqualTo(Value.I32(-1)));
        Assert.That(TraceCommand.ParseArg("0x1_0000_0000", ValType.I32), Is.Null);
        Assert.That(TraceCommand.ParseArg("-0x8000000000000000", ValType.I64), Is.EqualTo(Value.I64(long.MinValue)));
        Assert.That(TraceCommand.ParseArg("1.5", ValType.F64), Is.EqualTo(Value.F64(1.5)));
        Assert.That(TraceCommand.ParseArg("nan", ValType.F32), Is.EqualTo(Value.F32Bits(0x7FC0_0000)));
        Assert.That(TraceCommand.ParseArg("-nan", ValType.F64), Is.EqualTo(Value.F64Bits(0xFFF8_0000_0000_0000)));
        Assert.That(TraceCommand.ParseArg("-inf", ValType.F32), Is.EqualTo(Value.F32(float.NegativeInfinity)));
        Assert.That(TraceCommand.ParseArg("x", ValType.I64), Is.Null);
        var (exit, lines) = Trace(file, "--invoke", "fneg", "-nan");
        Assert.That((exit, lines[^1]), Is.EqualTo((0, "results: f32:NaN")));
    }

    [Test]
    public void Imports_and_bad_usage_are_reported()
    {
        File.WriteAllText(file, "(module (import \"env\" \"f\" (func)))");
        var (exit, lines) = Trace(file, "--invoke", "f");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(lines[0], Does.Contain("unknown import \"env\" \"f\""));
        Assert.That(Trace(file).Item1, Is.EqualTo(2));
        Assert.That(Trace(file, "--invoke", "f", "--limit", "0").Item1, Is.EqualTo(2));
    }
}
