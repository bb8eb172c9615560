using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Wast.Tests;

public class ParserTests
{
    static ImmutableArray<Command> Parse(string text) => WastParser.Parse("test.wast", text).Commands;

    static Command One(string text) => Parse(text).Single();

    [Test]
    public void Text_module_keeps_its_exact_source()
    {
        const string module = "(module $m\n  (func (export \"f\") (result i32) (i32.const 1)) ;; comment\n)";
        var c = (ModuleCommand)Parse($";; header\n{module}\n(invoke \"f\")")[0];
        Assert.That(c.Id, Is.EqualTo("m"));
        Assert.That(c.IsDefinition, Is.False);
        Assert.That(c.Line, Is.EqualTo(2));
        Assert.That(c.Module, Is.EqualTo(new TextModule(2, module)));
    }

    [Test]
    public void Text_module_source_counts_bytes_of_non_ascii_text_correctly()
    {
        const string module = "(module (func (export \"\u00e9\u4e2d\")) (; \u00fc ;))";
        var c = (ModuleCommand)Parse($"(; \u00e4\u00f6 ;) {module} (invoke \"\u00e9\u4e2d\")")[0];
        Assert.That(((TextModule)c.Module).Source, Is.EqualTo(module));
    }

    [Test]
    public void Module_definition_drops_the_script_keyword_from_the_source()
    {
        var c = (ModuleCommand)One("(module definition $M (memory 1))");
        Assert.That(c.IsDefinition, Is.True);
        Assert.That(c.Id, Is.EqualTo("M"));
        Assert.That(((TextModule)c.Module).Source, Is.EqualTo("(module $M (memory 1))"));
    }

    [Test]
    public void Module_instance_names_instance_then_definition()
    {
        Assert.That(One("(module instance $I $M)"), Is.EqualTo(new ModuleInstanceCommand(1, "I", "M")));
        Assert.That(One("(module instance $I)"), Is.EqualTo(new ModuleInstanceCommand(1, "I", null)));
        Assert.That(One("(module instance)"), Is.EqualTo(new ModuleInstanceCommand(1, null, null)));
    }

    [Test]
    public void Binary_module_concatenates_the_bytes_of_its_strings()
    {
        var c = (ModuleCommand)One("(module $b binary \"\\00asm\" \"\\01\\00\\00\\00\")");
        Assert.That(c.Id, Is.EqualTo("b"));
        var bytes = ((BinaryModule)c.Module).Bytes;
        Assert.That(bytes, Is.EqualTo(new byte[] { 0, 0x61, 0x73, 0x6d, 1, 0, 0, 0 }));
    }

    [Test]
    public void Quote_module_concatenates_its_strings_as_text()
    {
        var c = (ModuleCommand)One("(module quote \"(func\" \" (result i32) (i32.const 1))\" \"\\u{e9}\")");
        Assert.That(c.Module, Is.EqualTo(new QuoteModule(1, [.. System.Text.Encoding.UTF8.GetBytes("(func (result i32) (i32.const 1))\u00e9")])));
    }

    [Test]
    public void Quote_module_keeps_bytes_that_are_not_utf8()
    {
        var c = (ModuleCommand)One("(module quote \"(func $\\ff)\")");
        byte[] expected = [.. "(func $"u8, 0xff, (byte)')'];
        Assert.That(((QuoteModule)c.Module).Source, Is.EqualTo(expected));
    }

    [Test]
    public void Register_with_and_without_module()
    {
        Assert.That(One("(register \"M\" $m)"), Is.EqualTo(new RegisterCommand(1, "M", "m")));
        Assert.That(One("(register \"M\")"), Is.EqualTo(new RegisterCommand(1, "M", null)));
    }

    [Test]
    public void Invoke_and_get_with_arguments()
    {
        var c = (ActionCommand)One("(invoke $m \"f\" (i32.const -1) (i64.const 0x10) (f32.const -0x1p-1) (f64.const nan:0x4) (ref.null extern) (ref.extern 3) (ref.host 4))");
        var args = ((Invoke)c.Action).Args;
        Assert.That(c.Action.ModuleId, Is.EqualTo("m"));
        Assert.That(c.Action.Name, Is.EqualTo("f"));
        Assert.That(args, Is.EqualTo(new Arg[]
        {
            new NumArg(NumType.I32, 0xffff_ffff), new NumArg(NumType.I64, 16), new NumArg(NumType.F32, 0xbf00_0000),
            new NumArg(NumType.F64, 0x7ff0_0000_0000_0004), new RefNullArg(HeapType.Extern), new RefExternArg(3), new RefHostArg(4),
        }));
        Assert.That(c.Kind, Is.EqualTo("invoke"));
        var g = (ActionCommand)One("(get \"g\")");
        Assert.That(g.Action, Is.EqualTo(new Get(1, null, "g")));
        Assert.That(g.Kind, Is.EqualTo("get"));
    }

    [Test]
    public void Vector_argument_packs_lanes_little_endian()
    {
        var c = (ActionCommand)One("(invoke \"v\" (v128.const i32x4 1 2 -1 0x80000000) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1) (v128.const f64x2 1.0 -0.0))");
        var args = ((Invoke)c.Action).Args;
        Assert.That(args[0], Is.EqualTo(new VecArg(new V128(0x0000_0002_0000_0001, 0x8000_0000_ffff_ffff))));
        Assert.That(args[1], Is.EqualTo(new VecArg(new V128(0x0706_0504_0302_0100, 0xff0e_0d0c_0b0a_0908))));
        Assert.That(args[2], Is.EqualTo(new VecArg(new V128(0x3ff0_0000_0000_0000, 0x8000_0000_0000_0000))));
    }

    [Test]
    public void Assert_return_with_number_and_nan_patterns()
    {
        var c = (AssertReturn)One("(assert_return (invoke \"f\") (i32.const 7) (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan) (f64.const 1.5))");
        Assert.That(c.Results, Is.EqualTo(new ResultPattern[]
        {
            new NumPattern(NumType.I32, 7), new NanPattern(NumType.F32, NanKind.Canonical), new NanPattern(NumType.F64, NanKind.Arithmetic),
            new NumPattern(NumType.F32, 0xffc0_0000), new NumPattern(NumType.F64, 0x3ff8_0000_0000_0000),
        }));
    }

    [Test]
    public void Assert_return_with_vector_lane_patterns()
    {
        var c = (AssertReturn)One("(assert_return (invoke \"f\") (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0.0))");
        var p = (VecPattern)c.Results[0];
        Assert.That(p.Shape, Is.EqualTo(Shape.F32x4));
        Assert.That(p.Lanes, Is.EqualTo(new LanePattern[] { new(0, NanKind.Canonical), new(0x3f80_0000, null), new(0, NanKind.Arithmetic), new(0x8000_0000, null) }));
    }

    [Test]
    public void Assert_return_with_reference_and_either_patterns()
    {
        var c = (AssertReturn)One("(assert_return (invoke \"f\") (ref.null) (ref.null func) (ref.extern) (ref.extern 2) (ref.host 1) (ref.func) (ref.struct) (ref.array) (ref.i31) (ref.eq) (ref.any) (ref.exn) (either (i32.const 1) (ref.null any)))");
        Assert.That(c.Results, Is.EqualTo(new ResultPattern[]
        {
            new RefNullPattern(null), new RefNullPattern(HeapType.Func), new RefExternPattern(null), new RefExternPattern(2), new RefHostPattern(1),
            new RefKindPattern(AbsHeapType.Func), new RefKindPattern(AbsHeapType.Struct), new RefKindPattern(AbsHeapType.Array),
            new RefKindPattern(AbsHeapType.I31), new RefKindPattern(AbsHeapType.Eq), new RefKindPattern(AbsHeapType.Any), new RefKindPattern(AbsHeapType.Exn),
            new EitherPattern([new NumPattern(NumType.I32, 1), new RefNullPattern(HeapType.Any)]),
        }));
    }

    [Test]
    public void Assert_trap_on_action_and_on_module()
    {
        var a = (AssertTrap)One("(assert_trap (invoke \"f\" (i32.const 0)) \"integer divide by zero\")");
        Assert.That(a.Action, Is.EqualTo(new Invoke(1, null, "f", [new NumArg(NumType.I32, 0)])));
        Assert.That(a.Module, Is.Null);
        Assert.That(a.Message, Is.EqualTo("integer divide by zero"));
        var m = (AssertTrap)One("(assert_trap (module (start 0)) \"unreachable\")");
        Assert.That(m.Action, Is.Null);
        Assert.That(m.Module, Is.EqualTo(new TextModule(1, "(module (start 0))")));
    }

    [Test]
    public void Assert_exhaustion_and_exception()
    {
        Assert.That(One("(assert_exhaustion (invoke \"r\") \"call stack exhausted\")"),
            Is.EqualTo(new AssertExhaustion(1, new Invoke(1, null, "r", []), "call stack exhausted")));
        Assert.That(One("(assert_exception (invoke $m \"t\"))"), Is.EqualTo(new AssertException(1, new Invoke(1, "m", "t", []))));
    }

    [TestCase("assert_invalid")]
    [TestCase("assert_malformed")]
    [TestCase("assert_unlinkable")]
    [TestCase("assert_uninstantiable")]
    [TestCase("assert_malformed_custom")]
    [TestCase("assert_invalid_custom")]
    public void Module_assertions(string keyword)
    {
        var c = (AssertModule)One($"({keyword}\n  (module quote \"(func)\") \"the message\")");
        Assert.That(c, Is.EqualTo(new AssertModule(1, keyword, new QuoteModule(2, [.. "(func)"u8]), "the message")));
        Assert.That(c.Kind, Is.EqualTo(keyword));
    }

    [Test]
    public void Thread_and_wait()
    {
        var c = Parse("(thread $T (shared (module $Mem)) (register \"mem\" $Mem) (module (func)) (assert_return (invoke \"f\")))\n(wait $T)");
        var t = (ThreadCommand)c[0];
        Assert.That(t.Id, Is.EqualTo("T"));
        Assert.That(t.SharedModules, Is.EqualTo(new[] { "Mem" }));
        Assert.That(t.Commands.Select(x => x.Kind), Is.EqualTo(new[] { "register", "module", "assert_return" }));
        Assert.That(c[1], Is.EqualTo(new WaitCommand(2, "T")));
    }

    [Test]
    public void A_file_of_module_fields_is_one_inline_module()
    {
        const string text = "(func) (memory 0)\n(func (export \"f\"))\n";
        Assert.That(Parse(text), Is.EqualTo(new Command[] { new ModuleCommand(1, null, new TextModule(1, text), false) }));
    }

    [Test]
    public void Commands_carry_their_lines()
    {
        var c = Parse("(module)\n\n(assert_return (invoke \"a\"))\n  (invoke \"b\")");
        Assert.That(c.Select(x => x.Line), Is.EqualTo(new[] { 1, 3, 4 }));
    }

    [TestCase("(frobnicate)", "unknown command frobnicate")]
    [TestCase("(module", "unclosed parenthesis")]
    [TestCase("module", "unexpected token module")]
    [TestCase("(assert_return (invoke \"f\") (i32.const 0x1_0000_0000))", "constant out of range")]
    [TestCase("(assert_return (invoke \"f\") (i32.const nan:canonical))", "unexpected token")]
    [TestCase("(invoke \"f\" (f32.const nan:canonical))", "unexpected token")]
    [TestCase("(assert_return (invoke \"f\") (v128.const i32x4 1 2 3))", "wrong number of lane literals for i32x4")]
    [TestCase("(invoke \"f\" (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))", "constant out of range")]
    [TestCase("(invoke \"f\" (v128.const i9x14 0))", "unknown vector shape")]
    [TestCase("(assert_trap (invoke \"f\"))", "unexpected end of form")]
    [TestCase("(invoke \"\\ff\")", "malformed UTF-8 encoding")]
    [TestCase("(register \"a\" \"b\")", "unexpected token")]
    public void Malformed_scripts_are_parse_errors(string text, string reason)
    {
        var e = Assert.Throws<ParseException>(() => Parse(text))!;
        Assert.That(e.Reason, Is.EqualTo(reason));
        Assert.That(e.Line, Is.EqualTo(1));
    }

    [Test]
    public void Threads_and_either_patterns_nest_a_million_deep_without_recursion()
    {
        const int depth = 1_000_000;
        var text = new System.Text.StringBuilder();
        text.Insert(0, "(thread $t ", depth).Append(')', depth).Append('\n');
        text.Append("(assert_return (invoke \"f\") ").Insert(text.Length, "(either (i32.const 2) ", depth).Append("(i32.const 1)").Append(')', depth + 1);
        var commands = Parse(text.ToString());
        int threads = 0;
        for (Command c = commands[0]; c is ThreadCommand t; c = t.Commands.FirstOrDefault()!) threads++;
        Assert.That(threads, Is.EqualTo(depth));
        int eithers = 0;
        for (var r = ((AssertReturn)commands[1]).Results.Single(); r is EitherPattern e; r = e.Alternatives[1])
        {
            Assert.That(e.Alternatives[0], Is.EqualTo(new NumPattern(NumType.I32, 2)));
            eithers++;
        }
        Assert.That(eithers, Is.EqualTo(depth));
    }
}
