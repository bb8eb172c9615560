using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

/// <summary>Printing then parsing is the identity: parse(print(m)) == m, Module.Names included.</summary>
public class PrinterRoundTripTests
{
    static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    static Module RoundTrip(Module m) => Spec.TextFormat.Text.Parse(Spec.TextFormat.Text.Print(m));

    [Test]
    public void Generated_modules_survive_print_then_parse_up_to_label_names()
    {
        Check.One(Runs, Prop.ForAll(Generators.Module().ToArbitrary(), m =>
        {
            var text = Spec.TextFormat.Text.Print(m);
            Module back;
            try { back = Spec.TextFormat.Text.Parse(text); }
            catch (ParseException e) { Assert.Fail($"{e.Message}\n{text}"); return; }
            // Label names are printed (and branches use them) but the text format keeps no label names.
            AssertSame(m with { Names = m.Names with { Labels = [] } }, back, text);
        }));
    }

    [Test]
    public void Names_no_identifier_can_carry_and_custom_sections_survive()
    {
        var type = new TypeDef(new RecType([SubType.Plain(new FuncType([ValType.I32, ValType.I64], []))]));
        var m = Module.Empty with
        {
            Types = [type],
            Imports = [new Import("m", "f", new FuncExtern(new TypeIdx(0)))],
            Funcs = [new Func(0, [new Local(ValType.F32)], Expr.Empty), new Func(0, [], Expr.Empty)],
            Customs = [new CustomSection("first", [1], SectionId.Custom), new CustomSection("", [], SectionId.Tag), new CustomSection("c", [0, 255], SectionId.Code)],
            Names = Names.Empty with
            {
                Module = "",
                Funcs = [new NameAssoc(0, "f"), new NameAssoc(1, "f"), new NameAssoc(2, "")],
                Locals = [new IndirectNameAssoc(1, [new NameAssoc(0, "x"), new NameAssoc(1, "x"), new NameAssoc(2, "")])],
                Types = [new NameAssoc(0, "")],
            },
        };
        var text = Spec.TextFormat.Text.Print(m);
        Assert.That(text, Does.Contain("(func (@name \"f\") (type 0) (param $x i32) (param (@name \"x\") i64)"));
        AssertSame(m, RoundTrip(m), text);
    }

    /// <summary>Points at the first differing part, so a failure says more than "modules differ".</summary>
    static void AssertSame(Module expected, Module actual, string text)
    {
        if (expected.Equals(actual)) return;
        Assert.That(actual.Types, Is.EqualTo(expected.Types), text);
        Assert.That(actual.Imports, Is.EqualTo(expected.Imports), text);
        Assert.That(actual.Tags, Is.EqualTo(expected.Tags), text);
        Assert.That(actual.Globals, Is.EqualTo(expected.Globals), text);
        Assert.That(actual.Mems, Is.EqualTo(expected.Mems), text);
        Assert.That(actual.Tables, Is.EqualTo(expected.Tables), text);
        for (var i = 0; i < Math.Min(expected.Funcs.Length, actual.Funcs.Length); i++)
        {
            Assert.That(actual.Funcs[i].TypeIdx, Is.EqualTo(expected.Funcs[i].TypeIdx), $"func {i}\n{text}");
            Assert.That(actual.Funcs[i].Locals, Is.EqualTo(expected.Funcs[i].Locals), $"func {i}\n{text}");
            var (e, a) = (expected.Funcs[i].Body.Instrs, actual.Funcs[i].Body.Instrs);
            for (var k = 0; k < Math.Min(e.Length, a.Length); k++)
                Assert.That(a[k], Is.EqualTo(e[k]), $"func {i} instr {k}\n{text}");
            Assert.That(a.Length, Is.EqualTo(e.Length), $"func {i}\n{text}");
        }
        Assert.That(actual.Funcs, Is.EqualTo(expected.Funcs), text);
        Assert.That(actual.Datas, Is.EqualTo(expected.Datas), text);
        Assert.That(actual.Elems, Is.EqualTo(expected.Elems), text);
        Assert.That(actual.Start, Is.EqualTo(expected.Start), text);
        Assert.That(actual.Exports, Is.EqualTo(expected.Exports), text);
        var (en, an) = (expected.Names, actual.Names);
        Assert.That(an.Module, Is.EqualTo(en.Module), "module name\n" + text);
        Assert.That(an.Funcs, Is.EqualTo(en.Funcs), "func names\n" + text);
        Assert.That(an.Locals, Is.EqualTo(en.Locals), "local names\n" + text);
        Assert.That(an.Types, Is.EqualTo(en.Types), "type names\n" + text);
        Assert.That(an.Fields, Is.EqualTo(en.Fields), "field names\n" + text);
        Assert.That(an.Tables, Is.EqualTo(en.Tables), "table names\n" + text);
        Assert.That(an.Mems, Is.EqualTo(en.Mems), "memory names\n" + text);
        Assert.That(an.Globals, Is.EqualTo(en.Globals), "global names\n" + text);
        Assert.That(an.Elems, Is.EqualTo(en.Elems), "elem names\n" + text);
        Assert.That(an.Datas, Is.EqualTo(en.Datas), "data names\n" + text);
        Assert.That(an.Tags, Is.EqualTo(en.Tags), "tag names\n" + text);
        Assert.That(an.Labels, Is.EqualTo(en.Labels), "label names\n" + text);
        Assert.That(actual, Is.EqualTo(expected), text);
    }

    /// <summary>The (module ...) forms of a script, found by a balanced-parenthesis scan that skips strings and comments.</summary>
    internal static IEnumerable<(int Line, string Text)> ModuleForms(string script)
    {
        var line = 1;
        for (var i = 0; i < script.Length; i++)
        {
            if (script[i] == '\n') line++;
            else if (script[i] == '"') i = SkipString(script, i);
            else if (script[i] == ';' && i + 1 < script.Length && script[i + 1] == ';') { while (i + 1 < script.Length && script[i + 1] != '\n') i++; }
            else if (script[i] == '(' && i + 1 < script.Length && script[i + 1] == ';') i = SkipBlockComment(script, i, ref line);
            else if (string.CompareOrdinal(script, i, "(module", 0, 7) == 0 && i + 7 < script.Length && !IsIdChar(script[i + 7]))
            {
                var end = Close(script, i);
                yield return (line, script[i..end]);
                line += script.AsSpan(i, end - i).Count('\n');
                i = end - 1;
            }
        }
    }

    static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$';

    static int SkipString(string s, int i)
    {
        for (i++; i < s.Length && s[i] != '"'; i++) if (s[i] == '\\') i++;
        return i;
    }

    static int SkipBlockComment(string s, int i, ref int line)
    {
        var depth = 0;
        for (; i < s.Length - 1; i++)
        {
            if (s[i] == '\n') line++;
            if (s[i] == '(' && s[i + 1] == ';') { depth++; i++; }
            else if (s[i] == ';' && s[i + 1] == ')') { i++; if (--depth == 0) return i; }
        }
        return s.Length;
    }

    // The index after the ')' closing the '(' at i.
    static int Close(string s, int i)
    {
        var depth = 0;
        var line = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"') i = SkipString(s, i);
            else if (c == ';' && i + 1 < s.Length && s[i + 1] == ';') { while (i + 1 < s.Length && s[i + 1] != '\n') i++; }
            else if (c == '(' && i + 1 < s.Length && s[i + 1] == ';') i = SkipBlockComment(s, i, ref line);
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i + 1;
        }
        return s.Length;
    }

    static (int Parsed, List<string> Failures) RoundTripScripts(IEnumerable<string> files)
    {
        var parsed = 0;
        var failures = new List<string>();
        foreach (var file in files)
            foreach (var (line, form) in ModuleForms(File.ReadAllText(file)))
            {
                Module m;
                try { m = Spec.TextFormat.Text.Parse(form); }
                catch (ParseException) { continue; } // binary, quote and malformed forms are not the printer's concern
                parsed++;
                var where = $"{Path.GetFileName(file)}:{line}";
                string text;
                try { text = Spec.TextFormat.Text.Print(m); }
                catch (Exception e) { failures.Add($"{where}: print threw {e.GetType().Name}: {e.Message}"); continue; }
                try
                {
                    var back = Spec.TextFormat.Text.Parse(text);
                    if (!back.Equals(m)) failures.Add($"{where}: parse(print(m)) differs from m\n{text}");
                }
                catch (ParseException e) { failures.Add($"{where}: printed text does not parse: {e.Message}\n{text}"); }
            }
        return (parsed, failures);
    }

    [Test]
    public void Every_root_testsuite_module_survives_print_then_parse()
    {
        var (parsed, failures) = RoundTripScripts(Directory.GetFiles(Testsuite.Directory, "*.wast").Order());
        TestContext.Out.WriteLine($"root testsuite modules parsed and round-tripped: {parsed}, failures: {failures.Count}");
        foreach (var f in failures.Take(20)) TestContext.Out.WriteLine(f);
        Assert.That(parsed, Is.GreaterThan(1000), "the testsuite must be present and its modules found");
        Assert.That(failures, Is.Empty);
    }

    [TestCase("legacy", 10)]
    [TestCase("proposals", 100)]
    [TestCase("custom", 1)]
    public void Every_module_of_a_testsuite_subdirectory_survives_print_then_parse(string subdirectory, int atLeast)
    {
        var files = Directory.GetFiles(Path.Combine(Testsuite.Directory, subdirectory), "*.wast", SearchOption.AllDirectories).Order();
        var (parsed, failures) = RoundTripScripts(files);
        TestContext.Out.WriteLine($"{subdirectory} modules parsed and round-tripped: {parsed}, failures: {failures.Count}");
        foreach (var f in failures.Take(20)) TestContext.Out.WriteLine(f);
        Assert.That(parsed, Is.GreaterThanOrEqualTo(atLeast));
        Assert.That(failures, Is.Empty);
    }
}
