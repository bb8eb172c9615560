using System.Text;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Validation.Tests;

/// <summary>
/// The official testsuite's module assertions: every assert_invalid module (root and legacy/) is rejected with the
/// expected message (a prefix of the reason, as the reference interpreter matches), every other module validates.
/// Modules the text parser cannot read are the parser's concern (its own tests cover them) and are counted apart;
/// binary modules need the decoder and are not read here.
/// </summary>
public class TestsuiteTests
{
    public static IEnumerable<string> Files() => Wast.Files();

    sealed class Tally
    {
        public int Valid, Invalid, ParserRejected, Binary;
        public readonly List<string> Failures = [];
        public readonly List<string> Rejected = [];
    }

    [TestCaseSource(nameof(Files))]
    public void Modules_validate_and_assert_invalid_modules_are_rejected(string file)
    {
        var t = Run(file);
        TestContext.Out.WriteLine($"{file}: valid {t.Valid}, invalid {t.Invalid}, parser rejected {t.ParserRejected}, binary skipped {t.Binary}");
        Assert.That(t.Failures, Is.Empty, string.Join("\n", t.Failures));
    }

    [Test]
    public void Totals()
    {
        var all = Files().Select(Run).ToList();
        TestContext.Out.WriteLine($"modules validated: {all.Sum(t => t.Valid)}; assert_invalid rejected correctly: {all.Sum(t => t.Invalid)}; " +
            $"failures: {all.Sum(t => t.Failures.Count)}; parser rejected: {all.Sum(t => t.ParserRejected)}; binary skipped: {all.Sum(t => t.Binary)}");
        Assert.That(all.Sum(t => t.Invalid), Is.GreaterThan(1000));
        Assert.That(all.Sum(t => t.Valid), Is.GreaterThan(1000));
    }

    /// <summary>The custom descriptors proposal's scripts, relative to the testsuite directory.</summary>
    public static IEnumerable<string> CustomDescriptorsFiles()
    {
        var dir = Path.Combine(Wast.TestsuiteDirectory, "proposals", "custom-descriptors");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.wast").Select(f => Path.GetRelativePath(Wast.TestsuiteDirectory, f)).Order(StringComparer.Ordinal)
            : [];
    }

    [Test]
    public void Custom_descriptors_proposal_modules_validate_as_the_proposal_says()
    {
        var files = CustomDescriptorsFiles().ToList();
        if (files.Count == 0) Assert.Ignore("the testsuite has no proposals/custom-descriptors folder");
        var all = files.Select(f => Run(f, Features.Default with { CustomDescriptors = true })).ToList();
        TestContext.Out.WriteLine($"valid {all.Sum(t => t.Valid)}, invalid {all.Sum(t => t.Invalid)}, parser rejected {all.Sum(t => t.ParserRejected)}");
        Assert.That(all.SelectMany(t => t.Failures), Is.Empty);
        Assert.That(all.SelectMany(t => t.Rejected), Is.Empty);
        // Every one of the proposal's assert_invalid modules (157 in all) is text, and is rejected with its message.
        Assert.That(all.Sum(t => t.Invalid), Is.GreaterThanOrEqualTo(157));
        Assert.That(all.Sum(t => t.Valid), Is.GreaterThan(60));
    }

    // legacy/ is written for the legacy exceptions, everything else here for Wasm 3.0 exactly.
    static Tally Run(string file) => Run(file, file.StartsWith("legacy", StringComparison.Ordinal) ? new Features(LegacyExceptions: true) : Features.Default);

    static Tally Run(string file, Features features)
    {
        var tally = new Tally();
        var source = File.ReadAllText(Path.Combine(Wast.TestsuiteDirectory, file));
        foreach (var command in Wast.Scan(source, 0, source.Length))
        {
            switch (command.Head)
            {
                case "module":
                    Expect(tally, command, null, features);
                    break;
                case "assert_invalid":
                    Expect(tally, command.Children().First(), Encoding.UTF8.GetString(command.Strings().Last()), features);
                    break;
                case "assert_trap" or "assert_unlinkable" or "assert_uninstantiable":
                    if (command.Children().First() is { Head: "module" } m) Expect(tally, m, null, features);
                    break;
            }
        }
        return tally;
    }

    /// <summary>Checks one module form: valid if <paramref name="message"/> is null, else invalid with that message.</summary>
    static void Expect(Tally tally, Wast.Form form, string? message, Features features)
    {
        var words = form.Words().Skip(1).SkipWhile(w => w.StartsWith('$')).ToList();
        var definition = words.FirstOrDefault() is "definition";
        var kind = words.Skip(definition ? 1 : 0).FirstOrDefault();
        if (kind is "instance") return;
        if (kind is "binary") { tally.Binary++; return; }

        Module module;
        try
        {
            module = kind is "quote"
                ? Text.Parse(string.Join(" ", form.Strings().Select(Encoding.UTF8.GetString)))
                : Text.Parse(definition ? ReplaceFirst(form.Text, "definition", "") : form.Text);
        }
        catch (ParseException e)
        {
            tally.ParserRejected++;
            tally.Rejected.Add($"line {form.Line}: {e.Message}");
            return;
        }

        var where = $"line {form.Line}";
        try
        {
            Validator.Validate(module, features);
            if (message is null) tally.Valid++;
            else tally.Failures.Add($"{where}: expected invalid \"{message}\", but it validates");
        }
        catch (ValidationException e)
        {
            if (message is null) tally.Failures.Add($"{where}: expected valid, got {e.Rule}: {e.Message}");
            else if (e.Reason.StartsWith(message, StringComparison.Ordinal)) tally.Invalid++;
            else tally.Failures.Add($"{where}: expected \"{message}\", got {e.Rule}: {e.Message}");
        }
        catch (Exception e) when (e is not AssertionException)
        {
            tally.Failures.Add($"{where}: {e.GetType().Name} escaped: {e.Message}");
        }
    }

    static string ReplaceFirst(string s, string what, string by)
    {
        var i = s.IndexOf(what, StringComparison.Ordinal);
        return s[..i] + by + s[(i + what.Length)..];
    }
}
