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
        Assert.That(lines[^1], Is.EqualTo("results: (i32.const 7)"));
        var steps = lines.Where(l => l.TrimStart().Length > 0 && char.IsDigit(l.TrimStart()[0])).ToList();
        Assert.That(steps.Select(s => int.Parse(s.TrimStart().Split(' ')[0])), Is.EqualTo(Enumerable.Range(1, steps.Count)));
        int brIf = lines.ToList().FindIndex(l => l.EndsWith("Step_pure/br_if-true"));
        Assert.That(brIf, Is.Positive);
        // values are WAT constants on both sides of the step, inside the frame and its labels
        Assert.That(lines[brIf + 1].Trim(), Is.EqualTo("(FRAME_1{(i32.const 1)} (LABEL_1{} (LABEL_1{} (i32.const 7) (i32.const 1) (br_if 0) (drop) (i32.const 9))))"));
        // BR l stands where br_if stood, the rest of the block after it (br-label-zero's instr*)
        Assert.That(lines[brIf + 2].Trim(), Is.EqualTo("~> (FRAME_1{(i32.const 1)} (LABEL_1{} (LABEL_1{} (i32.const 7) (BR 0) (drop) (i32.const 9))))"));
    }

    [Test]
    public void The_other_branch_takes_other_rules()
    {
        var (exit, lines) = Trace(file, "--invoke", "pick", "0");
        Assert.That(exit, Is.Zero);
        Assert.That(lines, Has.Some.EndsWith("Step_pure/br_if-false").And.Some.EndsWith("Step_pure/drop"));
        Assert.That(lines[^1], Is.EqualTo("results: (i32.const 9)"));
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
        Assert.That(CommandLineValues.Parse("-1", ValType.I32), Is.EqualTo(Value.I32(-1)));
        Assert.That(CommandLineValues.Parse("0xffffffff", ValType.I32), Is.EqualTo(Value.I32(-1)));
        Assert.That(CommandLineValues.Parse("0x1_0000_0000", ValType.I32), Is.Null);
        Assert.That(CommandLineValues.Parse("-0x8000000000000000", ValType.I64), Is.EqualTo(Value.I64(long.MinValue)));
        Assert.That(CommandLineValues.Parse("1.5", ValType.F64), Is.EqualTo(Value.F64(1.5)));
        Assert.That(CommandLineValues.Parse("nan", ValType.F32), Is.EqualTo(Value.F32Bits(0x7FC0_0000)));
        Assert.That(CommandLineValues.Parse("-nan", ValType.F64), Is.EqualTo(Value.F64Bits(0xFFF8_0000_0000_0000)));
        Assert.That(CommandLineValues.Parse("-inf", ValType.F32), Is.EqualTo(Value.F32(float.NegativeInfinity)));
        Assert.That(CommandLineValues.Parse("x", ValType.I64), Is.Null);
        var (exit, lines) = Trace(file, "--invoke", "fneg", "-nan");
        Assert.That((exit, lines[^1]), Is.EqualTo((0, "results: (f32.const nan)")));
    }

    [Test]
    public void The_limit_applies_while_the_start_function_runs()
    {
        File.WriteAllText(file, "(module (func $spin (loop (br 0))) (func (export \"f\")) (start $spin))");
        var (exit, lines) = Trace(file, "--invoke", "f", "--limit", "10");
        Assert.That(exit, Is.EqualTo(135));
        Assert.That(lines[^1], Is.EqualTo("wasmspec trace: stopped after 10 steps (--limit N for more)"));
        Assert.That(lines.Count(l => l.EndsWith("(instantiation)")), Is.EqualTo(10));
    }

    [Test]
    public void Segments_are_initialised_by_their_instructions_and_a_trap_among_them_ends_the_configuration()
    {
        File.WriteAllText(file, """
            (module (memory 1) (table 1 funcref) (func $f) (elem (i32.const 0) $f) (elem declare func $f)
              (data (i32.const 70000) "x") (func (export "f")))
            """);
        var (exit, lines) = Trace(file, "--invoke", "f");
        Assert.That(exit, Is.EqualTo(134));
        var rules = lines.Where(l => l.EndsWith("(instantiation)")).Select(l => l.Trim().Split("  ")[1]).ToArray();
        // the table's and the segments' initialisers (constant expressions), then $runelem_ of the active segment (its
        // table.init folded, as without --exact) and of the declarative one, then $rundata_, whose memory.init is out of bounds
        Assert.That(rules, Is.EqualTo(new[]
        {
            "Step_read/ref.null", "Step_read/ref.func", "Step_read/ref.func", "Step_read/table.init-succ",
            "Step/elem.drop", "Step/elem.drop", "Step_read/memory.init-oob", "Step_pure/trap-instrs",
        }), string.Join('\n', lines));
        Assert.That(lines[^1], Is.EqualTo("     9  trap: out of bounds memory access"));
    }

    [Test]
    public void Instantiation_ends_in_the_specs_configuration_stepped_as_every_configuration()
    {
        File.WriteAllText(file, """
            (module (global $g (mut i32) (i32.const 1))
              (func $init (global.set $g (i32.const 6))) (start $init)
              (func (export "get") (result i32) (global.get $g)))
            """);
        var (exit, lines) = Trace(file, "--invoke", "get");
        Assert.That(exit, Is.Zero);
        // $instantiate: the global's (i32.const 1) is a value already, no step; then z; {MODULE moduleinst}; (CALL x)
        Assert.That(lines[0], Is.EqualTo("     1  Step_read/call  (instantiation)"));
        Assert.That((lines[1].Trim(), lines[2].Trim()), Is.EqualTo(("(call $init)", "~> (REF.FUNC_ADDR 0) (CALL_REF)")));
        int set = Array.FindIndex(lines, l => l.EndsWith("Step/global.set  (instantiation)"));
        Assert.That(set, Is.Positive, string.Join('\n', lines));
        Assert.That(lines[set + 1].Trim(), Is.EqualTo("(FRAME_0{} (LABEL_0{} (i32.const 6) (global.set $g)))"));
        Assert.That(lines[set + 2].Trim(), Is.EqualTo("~> (FRAME_0{} (LABEL_0{}))"));
        Assert.That(lines[set + 3].Trim(), Is.EqualTo("store: global 0 = (i32.const 6)"));
        // the start function runs from its call to its (no) values; the export's steps follow
        Assert.That(lines.Count(l => l.EndsWith("Step_read/call_ref-func  (instantiation)")), Is.EqualTo(1));
        Assert.That(lines[^1], Is.EqualTo("results: (i32.const 6)"));
    }

    [Test]
    public void A_travelling_br_or_return_keeps_the_instructions_after_it()
    {
        File.WriteAllText(file, """
            (module
              (func (export "out") (result i32) (block (result i32) (block (br 1 (i32.const 3)) (nop)) (i32.const 4)))
              (func (export "ret") (result i32) (block (return (i32.const 2)) (nop)) (i32.const 5)))
            """);
        var (exit, lines) = Trace(file, "--invoke", "out");
        Assert.That(exit, Is.Zero);
        // Step_pure/br-label-succ: (LABEL_n{instr'*} val* (BR l) instr*) ~> val* (BR l-1), amid what followed the label
        int succ = Array.FindIndex(lines, l => l.EndsWith("Step_pure/br-label-succ"));
        Assert.That(lines[succ + 1].Trim(), Is.EqualTo("(FRAME_1{} (LABEL_1{} (LABEL_1{} (LABEL_0{} (i32.const 3) (br 1) (nop)) (i32.const 4))))"));
        Assert.That(lines[succ + 2].Trim(), Is.EqualTo("~> (FRAME_1{} (LABEL_1{} (LABEL_1{} (i32.const 3) (BR 0) (i32.const 4))))"));
        int zero = Array.FindIndex(lines, l => l.EndsWith("Step_pure/br-label-zero"));
        Assert.That(lines[zero + 1].Trim(), Is.EqualTo("(FRAME_1{} (LABEL_1{} (LABEL_1{} (i32.const 3) (BR 0) (i32.const 4))))"));

        (exit, lines) = Trace(file, "--invoke", "ret");
        Assert.That(exit, Is.Zero);
        // Step_pure/return-label: (LABEL_n{instr'*} val* RETURN instr*) ~> val* RETURN
        var returns = lines.Select((l, k) => (l, k)).Where(x => x.l.EndsWith("Step_pure/return-label")).Select(x => x.k).ToList();
        Assert.That(returns, Has.Count.EqualTo(2));
        Assert.That(lines[returns[0] + 2].Trim(), Is.EqualTo("~> (FRAME_1{} (LABEL_1{} (i32.const 2) RETURN (i32.const 5)))"));
        Assert.That(lines[returns[1] + 1].Trim(), Is.EqualTo("(FRAME_1{} (LABEL_1{} (i32.const 2) RETURN (i32.const 5)))"));
        Assert.That(lines[returns[1] + 2].Trim(), Is.EqualTo("~> (FRAME_1{} (i32.const 2) RETURN)"));
    }

    [Test]
    public void Legacy_handlers_are_written_as_the_legacy_proposal_writes_them()
    {
        File.WriteAllText(file, """
            (module (tag $e (param i32))
              (func (export "f") (result i32)
                (try (result i32)
                  (do (throw $e (i32.const 4)))
                  (catch $e (i32.const 1) (i32.add))
                  (catch_all (i32.const 0)))))
            """);
        var (exit, lines) = Trace(file, "--invoke", "f", "--features", "all");
        Assert.That(exit, Is.Zero, string.Join('\n', lines));
        // try ~> LABEL_m{} (CATCH_m{a instr*}{instr*} instr*): a clause a brace, the tag's address and its body
        int tryStep = Array.FindIndex(lines, l => l.EndsWith("Legacy/try"));
        Assert.That(lines[tryStep + 2].Trim(), Is.EqualTo("~> (FRAME_1{} (LABEL_1{} (LABEL_1{} (CATCH_1{0 (i32.const 1) (i32.add)}{(i32.const 0)} (i32.const 4) (throw $e)))))"));
        // the catching clause runs in CAUGHT_m{a val^n}, which holds the exception for rethrow
        int caught = Array.FindIndex(lines, l => l.EndsWith("Legacy/catch"));
        Assert.That(lines[caught + 2].Trim(), Is.EqualTo("~> (FRAME_1{} (LABEL_1{} (LABEL_1{} (CAUGHT_1{0 (i32.const 4)} (i32.const 4) (i32.const 1) (i32.add)))))"));
        Assert.That(lines, Has.None.Contains("{…}"));
    }

    [Test]
    public void Each_step_is_one_rule_whose_right_hand_side_is_shown()
    {
        File.WriteAllText(file, """
            (module (memory 1) (type $a (array (mut i8)))
              (func (export "f") (param i32) (result i32) (local i32)
                (local.set 1 (local.tee 0 (i32.const 5)))
                (drop (array.new $a (i32.const 3) (i32.const 2)))
                (memory.fill (i32.const 8) (i32.const 255) (i32.const 2))
                (local.get 1)))
            """);
        var (exit, lines) = Trace(file, "--invoke", "f", "0");
        Assert.That(exit, Is.Zero);
        var rules = lines.Where(l => l.Contains("Step")).Select(l => l.Trim().Split("  ")[1]).ToList();
        Assert.That(rules[0], Is.EqualTo("Step_read/call_ref-func"));
        int tee = rules.IndexOf("Step_pure/local.tee");
        Assert.That(rules.Skip(tee).Take(3), Is.EqualTo(new[] { "Step_pure/local.tee", "Step/local.set", "Step/local.set" }));
        int tl = lines.ToList().FindIndex(l => l.EndsWith("Step_pure/local.tee"));
        Assert.That(lines[tl + 2], Does.Contain("(i32.const 5) (i32.const 5) (local.set 0) (local.set 1)"));
        int an = rules.IndexOf("Step_pure/array.new");
        Assert.That(rules[an + 1], Is.EqualTo("Step/array.new_fixed"));
        int al = lines.ToList().FindIndex(l => l.EndsWith("Step_pure/array.new"));
        Assert.That(lines[al + 2], Does.Contain("(i32.const 3) (i32.const 3) (array.new_fixed $a 2) (drop)"));
        Assert.That(lines[al + 5], Does.Contain("(REF.ARRAY_ADDR 0) (drop)"));
        // without --exact, memory.fill is one step; with it, each byte is a store and the recursion ends in fill-zero
        Assert.That(rules.Count(r => r.StartsWith("Step_read/memory.fill")), Is.EqualTo(1));
        Assert.That(lines, Has.Some.EqualTo("        store: mem 0 [0x8..0xa) = ff ff"));
        var (exactExit, exact) = Trace(file, "--invoke", "f", "0", "--exact");
        Assert.That(exactExit, Is.Zero);
        var exactRules = exact.Where(l => l.Contains("Step")).Select(l => l.Trim().Split("  ")[1]).ToList();
        Assert.That(exactRules.Where(r => r.Contains("memory.fill") || r.StartsWith("Step/store")), Is.EqualTo(new[]
        {
            "Step_read/memory.fill-succ", "Step/store-pack-val", "Step_read/memory.fill-succ", "Step/store-pack-val", "Step_read/memory.fill-zero",
        }));
        int fill = exact.ToList().FindIndex(l => l.EndsWith("Step_read/memory.fill-succ"));
        Assert.That(exact[fill + 2], Does.Contain("(i32.const 8) (i32.const 255) (i32.store8) (i32.const 9) (i32.const 255) (i32.const 1) (memory.fill)"));
        Assert.That(exact, Has.Some.EqualTo("        store: mem 0 [0x9..0xa) = ff"));
    }

    [Test]
    public void A_trap_in_call_indirect_sheds_what_follows_it()
    {
        File.WriteAllText(file, "(module (table 1 funcref) (func (export \"f\") (call_indirect (i32.const 3))))");
        var (exit, lines) = Trace(file, "--invoke", "f");
        Assert.That(exit, Is.EqualTo(134));
        int oob = lines.ToList().FindIndex(l => l.EndsWith("Step_read/table.get-oob"));
        Assert.That(lines[oob + 2], Does.EndWith("TRAP (REF.CAST (REF NULL 0)) (CALL_REF 0)))"));
        Assert.That(lines[oob + 3], Does.EndWith("Step_pure/trap-instrs"));
        Assert.That(lines[oob + 5], Does.EndWith("(LABEL_0{} TRAP))"));
    }

    [Test]
    public void Explain_prints_the_rule_and_the_values_that_decided_it()
    {
        var (exit, lines) = Trace(file, "--invoke", "pick", "0", "--explain");
        Assert.That(exit, Is.Zero);
        int step = lines.ToList().FindIndex(l => l.EndsWith("Step_pure/br_if-false"));
        var below = lines.Skip(step + 3).TakeWhile(l => !char.IsDigit(l.TrimStart()[0])).ToList();
        Assert.That(below, Has.Some.Contains("| rule Step_pure/br_if-false:"));
        Assert.That(below, Has.Some.Contains("(CONST I32 c) (BR_IF l)  ~>  eps"));
        Assert.That(below, Has.Some.Contains("-- if c = 0"));
        Assert.That(below, Has.Some.EqualTo("        where c = (i32.const 0)"));
    }

    [Test]
    public void Run_reads_arguments_as_trace_does()
    {
        File.WriteAllText(file, "(module (func (export \"id\") (param i32) (result i32) (local.get 0)))");
        using var ran = Processes.Wasmspec("run", "--invoke", "id", file, "0x10");
        Assert.That((ran.Status, File.ReadAllText(ran.StdoutPath).Trim()), Is.EqualTo((0, "16")), ran.Stderr);
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
