using NUnit.Framework;
using Spec.Validation;
using Store = Spec.Execution.Store;

namespace Spec.Wast.Tests;

public class RuleCoverageTests
{
    const string Script = """
        (module
          (func (export "f") (param i32) (result i32)
            (block (result i32) (br_if 0 (i32.const 7) (local.get 0)) (drop) (i32.const 9))))
        (assert_return (invoke "f" (i32.const 1)) (i32.const 7))
        (assert_return (invoke "f" (i32.const 0)) (i32.const 9))
        """;

    static string SpecDir() =>
        RuleCoverage.SpecDir(null, Testsuite.Root(null)) ?? throw new InconclusiveException("no spec found beside the testsuite");

    /// <summary>The rule names of a spec file, found line by line rather than by the coverage's own pattern,
    /// skipping the lines between "(;" and ";)" (the spec keeps a few superseded rules as such comments).</summary>
    static List<string> RulesIn(string file, params string[] relations)
    {
        int depth = 0;
        return [.. File.ReadLines(Path.Combine(SpecDir(), file))
            .Where(l =>
            {
                depth += l.Split("(;").Length - l.Split(";)").Length;
                return depth == 0;
            })
            .Where(l => l.StartsWith("rule ", StringComparison.Ordinal))
            .Select(l => l[5..].Split(':')[0].Trim())
            .Where(r => relations.Contains(r.Split('/')[0]) && r.Contains('/'))
            .Distinct()];
    }

    static RuleCoverage RunScript(RuleCoverage coverage)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Script);
            using (var observer = coverage.Observe())
            {
                var r = Program.RunFile(path, "coverage.wast", "interp", trace: observer.Count);
                Assert.That((r.Passed, r.Failed), Is.EqualTo((3, 0)));
            }
            return coverage;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void The_rule_lists_are_the_specs()
    {
        var coverage = RuleCoverage.Load(SpecDir());
        Assert.That(coverage.StepRules, Is.EqualTo(RulesIn(RuleCoverage.ExecutionFile, "Step", "Step_pure", "Step_read")));
        Assert.That(coverage.InstrOkRules, Is.EqualTo(RulesIn(RuleCoverage.ValidationFile, "Instr_ok")));
        Assert.That(coverage.StepRules, Does.Contain("Step_pure/br_if-true").And.Contain("Step/ctxt-label").And.Contain("Step_pure/call_indirect"));
        Assert.That(coverage.StepRules, Has.None.StartsWith("Steps/"));
        Assert.That(coverage.InstrOkRules, Does.Contain("Instr_ok/br_if").And.Contain("Instr_ok/load-val").And.Not.Contain("Instr_ok/load"));
    }

    [Test]
    public void Comments_are_not_rules()
    {
        var source = "rule Step/a:\n(;\nrule Step/b:\n (; nested ;)\nrule Step/c:\n;)\n;; rule Step/d:\nrule Step/e: ;; note\n";
        Assert.That(RuleCoverage.WithoutComments(source), Is.EqualTo("rule Step/a:\n\n\n\n\n\n\nrule Step/e: \n"));
    }

    [Test]
    public void The_report_lists_every_spec_rule_exactly_once()
    {
        var coverage = RunScript(RuleCoverage.Load(SpecDir()));
        var lines = coverage.Report().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        var names = lines.Select(l => l.Split(' ')[0]).ToList();
        foreach (var rule in coverage.StepRules.Concat(coverage.InstrOkRules))
            Assert.That(names.Count(n => n == rule), Is.EqualTo(1), rule);
        Assert.That(names, Has.Count.EqualTo(coverage.StepRules.Count + coverage.InstrOkRules.Count));
    }

    [Test]
    public void A_tiny_script_fires_its_rules()
    {
        var coverage = RunScript(RuleCoverage.Load(SpecDir()));
        Assert.That(coverage.Count("Step_pure/br_if-true"), Is.EqualTo(1));
        Assert.That(coverage.Count("Step_pure/br_if-false"), Is.EqualTo(1));
        Assert.That(coverage.Count("Step_read/block"), Is.EqualTo(2));
        Assert.That(coverage.Count("Step_pure/drop"), Is.EqualTo(1));
        // Instantiation validates the module again (module_instantiate checks Module_ok), so each check counts per validation.
        Assert.That(coverage.Count("Instr_ok/br_if"), Is.Positive.And.EqualTo(coverage.Count("Instr_ok/block")));
        Assert.That(coverage.Count("Instr_ok/local.get"), Is.EqualTo(coverage.Count("Instr_ok/br_if")));
        Assert.That(coverage.Count("Step_read/array.new_data-num"), Is.Zero);
        Assert.That(coverage.Count("Step/pure"), Is.GreaterThanOrEqualTo(coverage.Count("Step_pure/br_if-true") + coverage.Count("Step_pure/drop")));
        var lines = coverage.Report().Split('\n');
        // The context rules are implicit: counted once for each step taken inside a context of their kind, and said so.
        Assert.That(coverage.Count("Step/ctxt-label"), Is.Positive);
        Assert.That(lines, Does.Contain("Step_pure/br_if-true 1").And.Contain($"Instr_ok/br_if {coverage.Count("Instr_ok/br_if")}")
            .And.Contain($"Step/ctxt-label {coverage.Count("Step/ctxt-label")} (implicit)").And.Contain("Step/ctxt-handler 0 (implicit)"));
    }

    [Test]
    public void Rules_are_listed_by_count_with_the_unfired_last()
    {
        var report = RunScript(RuleCoverage.Load(SpecDir())).Report();
        var execution = report.Split("## ")[1].Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        var counts = execution.Select(l => long.Parse(l.Split(' ')[1])).ToList();
        Assert.That(counts, Is.Ordered.Descending);
        Assert.That(counts[0], Is.GreaterThan(0));
        Assert.That(counts[^1], Is.Zero);
    }

    [Test]
    public void Names_outside_the_spec_are_listed_apart()
    {
        var coverage = RunScript(new RuleCoverage(["Step_pure/drop"], ["Instr_ok/drop"]));
        var sections = coverage.Report().Split("## ");
        Assert.That(sections[3], Does.StartWith("other names"));
        Assert.That(sections[3], Does.Contain("Step_pure/br_if-true 1").And.Contain("Instr_ok/br_if "));
        Assert.That(sections[1], Does.Contain("Step_pure/drop 1").And.Not.Contain("br_if"));
    }

    [Test]
    public void Observing_ends_with_the_scope_and_stays_on_its_thread()
    {
        var coverage = RuleCoverage.Load(SpecDir());
        using (coverage.Observe())
        {
            Assert.That(Validator.Trace, Is.Not.Null);
            Action<string>? elsewhere = null;
            var t = new Thread(() => elsewhere = Validator.Trace);
            t.Start();
            t.Join();
            Assert.That(elsewhere, Is.Null);
        }
        Assert.That(Validator.Trace, Is.Null);
    }

    [Test]
    public void The_option_is_read()
    {
        var o = Program.ParseArgs(["--rule-coverage", "c.txt", "--spec", "s"]);
        Assert.That((o.RuleCoverage, o.SpecDir), Is.EqualTo(("c.txt", "s")));
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["--rule-coverage"]));
    }
}
