using System.Text;
using NUnit.Framework;
using Spec.TextFormat;

namespace Spec.Text.Tests;

/// <summary>Mutated testsuite modules: the parser either returns a module or throws a ParseException, nothing else.</summary>
public class RobustnessTests
{
    private static readonly string[] Pieces =
    [
        "(", ")", "(;", ";)", ";;", "\"", "$", "$x", "0", "-1", "0x", "1e400", "nan:0x0", "(@a", "func", "type", "param", "result",
        "local", "block", "end", "else", "then", "if", "(then", "(else", "try", "catch", "delegate", "i32.const", "v128.const",
        "i8x16", "i8x16.shuffle", "offset=", "align=3", "\\u{", "\\ff", "\u00e9", "(ref", "null", "(sub", "(rec", "(elem", "(data",
        "(memory", "(table", "(import \"a\" \"b\"", "(export \"e\"", "call_indirect", "br_table", "select", "(item", "(offset",
    ];

    [Test]
    public void MutatedModulesOnlyEverFailWithParseExceptions()
    {
        var sources = new List<string>();
        foreach (var file in Testsuite.RootFiles().Where((_, i) => i % 7 == 0))
            foreach (var c in Testsuite.Commands(file))
                if (c.Keyword == "module" && Testsuite.ModuleKind(c) == "text") sources.Add(c.Text);
        Assert.That(sources.Count, Is.GreaterThan(100));
        var rng = new Random(20261122);
        int parsed = 0, rejected = 0;
        for (int iter = 0; iter < 6000; iter++)
        {
            var s = sources[rng.Next(sources.Count)];
            var text = Mutate(s, rng);
            try { Spec.TextFormat.Text.Parse(text); parsed++; }
            catch (ParseException) { rejected++; }
            catch (Exception e) { Assert.Fail($"{e.GetType().Name} on input:\n{text}\n{e}"); }
        }
        TestContext.Out.WriteLine($"mutants parsed: {parsed}, rejected: {rejected}");
        Assert.That(rejected, Is.GreaterThan(0));
    }

    private static string Mutate(string s, Random rng)
    {
        var sb = new StringBuilder(s);
        int n = 1 + rng.Next(3);
        for (int k = 0; k < n && sb.Length > 0; k++)
        {
            int at = rng.Next(sb.Length);
            switch (rng.Next(4))
            {
                case 0: sb.Remove(at, Math.Min(1 + rng.Next(12), sb.Length - at)); break;
                case 1: sb.Insert(at, " " + Pieces[rng.Next(Pieces.Length)] + " "); break;
                case 2: sb.Insert(at, Pieces[rng.Next(Pieces.Length)]); break;
                default: sb.Length = at; break;
            }
        }
        return sb.ToString();
    }

    [Test]
    public void RandomBytesOnlyEverFailWithParseExceptions()
    {
        var rng = new Random(7);
        for (int iter = 0; iter < 3000; iter++)
        {
            var bytes = new byte[rng.Next(64)];
            rng.NextBytes(bytes);
            try { Spec.TextFormat.Text.Parse(bytes); }
            catch (ParseException) { }
            catch (Exception e) { Assert.Fail($"{e.GetType().Name} on {Convert.ToHexString(bytes)}\n{e}"); }
        }
    }
}
