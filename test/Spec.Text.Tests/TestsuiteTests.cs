using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

public class TestsuiteTests
{
    private static readonly HashSet<string> ValidModuleAsserts = ["assert_trap", "assert_uninstantiable", "assert_unlinkable"];

    /// <summary>Every text module of the root testsuite that must parse: top-level ones and those of assert_trap/uninstantiable/unlinkable.</summary>
    [Test]
    public void EveryRootTextModuleParses()
    {
        int ok = 0;
        var failures = new List<string>();
        foreach (var file in Testsuite.RootAndLegacyFiles())
            foreach (var cmd in Testsuite.Commands(file))
            {
                var modules = cmd.Keyword == "module" ? [cmd]
                    : ValidModuleAsserts.Contains(cmd.Keyword) ? cmd.Children().Where(c => c.Tokens[c.Start + 1].Text == "module") : [];
                foreach (var m in modules)
                {
                    try
                    {
                        if (!Testsuite.ParseModule(m)) continue;
                        ok++;
                    }
                    catch (ParseException e)
                    {
                        failures.Add($"{m.File}:{m.Line}: {e.Message}");
                    }
                }
            }
        TestContext.Out.WriteLine($"root testsuite text modules parsed: {ok}, failed: {failures.Count}");
        foreach (var f in failures.Take(100)) TestContext.Out.WriteLine(f);
        Assert.That(ok, Is.GreaterThan(1000), "the testsuite must be present and its modules found");
        Assert.That(failures, Is.Empty);
    }

    /// <summary>Every (assert_malformed (module quote ...) "msg") of the root testsuite is rejected with that message.</summary>
    [Test]
    public void EveryMalformedQuoteModuleIsRejectedWithTheTestsuitesMessage()
    {
        var (ok, failures) = Testsuite.MalformedQuotes(Testsuite.RootAndLegacyFiles());
        TestContext.Out.WriteLine($"malformed quote modules rejected with the expected message: {ok}, otherwise: {failures.Count}");
        foreach (var f in failures.Take(200)) TestContext.Out.WriteLine(f);
        Assert.That(ok, Is.GreaterThan(1000));
        Assert.That(failures, Is.Empty);
    }

    /// <summary>The modules of assert_invalid are well-formed text (their errors are for the validator).</summary>
    [Test]
    public void InvalidModulesAreWellFormed()
    {
        int ok = 0;
        var failures = new List<string>();
        foreach (var file in Testsuite.RootAndLegacyFiles())
            foreach (var cmd in Testsuite.Commands(file))
            {
                if (cmd.Keyword != "assert_invalid") continue;
                var m = cmd.Children().First();
                try
                {
                    if (!Testsuite.ParseModule(m)) continue;
                    ok++;
                }
                catch (ParseException e) { failures.Add($"{m.File}:{m.Line}: {e.Message}"); }
            }
        TestContext.Out.WriteLine($"assert_invalid text modules parsed: {ok}, failed: {failures.Count}");
        foreach (var f in failures.Take(100)) TestContext.Out.WriteLine(f);
        Assert.That(ok, Is.GreaterThan(500));
        Assert.That(failures, Is.Empty);
    }
}


public class CustomAnnotationTestsuiteTests
{
    /// <summary>
    /// The @custom and @name scripts of custom/: their modules parse, and assert_malformed_custom quotes fail with the
    /// expected message. (Branch hints, custom/branch_hint.wast, are annotations this parser ignores.)
    /// </summary>
    [Test]
    public void CustomAnnotationScripts()
    {
        int ok = 0;
        var failures = new List<string>();
        var files = new[] { "custom_annot.wast", "name_annot.wast" }.Select(f => Path.Combine(Testsuite.Directory, "custom", f)).ToList();
        foreach (var file in files)
            foreach (var cmd in Testsuite.Commands(file))
            {
                if (cmd.Keyword != "module") continue;
                try { if (Testsuite.ParseModule(cmd)) ok++; }
                catch (ParseException e) { failures.Add($"{cmd.File}:{cmd.Line}: {e.Message}"); }
            }
        var (rejected, malformed) = Testsuite.MalformedQuotes(files, "assert_malformed_custom");
        failures.AddRange(malformed);
        TestContext.Out.WriteLine($"custom/ modules parsed: {ok}, malformed_custom rejected as expected: {rejected}, failures: {failures.Count}");
        foreach (var f in failures) TestContext.Out.WriteLine(f);
        Assert.That(ok, Is.GreaterThan(3));
        Assert.That(rejected, Is.GreaterThan(10));
        Assert.That(failures, Is.Empty);
    }
}
