using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Text.Tests;

/// <summary>Properties of the printer over generated modules.</summary>
public class PrinterPropertyTests
{
    static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    // Parentheses outside strings balance, and the text is one (module ...) form.
    static void AssertOneBalancedForm(string text)
    {
        int depth = 0, forms = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString) { if (c == '\\') i++; else if (c == '"') inString = false; continue; }
            if (c == '"') inString = true;
            else if (c == '(') { if (depth++ == 0) forms++; }
            else if (c == ')') Assert.That(--depth, Is.GreaterThanOrEqualTo(0), text);
        }
        Assert.That((depth, forms, inString), Is.EqualTo((0, 1, false)), text);
        Assert.That(text, Does.StartWith("(module"));
    }

    [Test]
    public void Generated_modules_print_as_one_balanced_module_form_naming_every_named_function()
    {
        Check.One(Runs, Prop.ForAll(Generators.Module().ToArbitrary(), m =>
        {
            var text = Spec.TextFormat.Text.Print(m);
            AssertOneBalancedForm(text);
            Assert.That(text.Split('\n').Count(l => l.TrimStart().StartsWith("(func")), Is.EqualTo(m.Funcs.Length));
            foreach (var (index, name) in m.Names.Funcs)
                Assert.That(text, Does.Contain("(func " + Spec.TextFormat.Printer.Id(name)).Or.Contain($"(func (@name {Spec.TextFormat.Printer.Name(name)})"), $"function {index}");
        }));
    }
}
