using NUnit.Framework;
using Spec.Cli.Fuzz;
using Spec.Validation;

namespace Spec.Cli.Tests;

/// <summary>Near-valid generated modules: each breaks one rule, and the validator rejects it by that rule with its message.</summary>
public class NearValidTests
{
    [Test]
    public void Each_broken_rule_is_the_one_the_validator_reports()
    {
        int checkedModules = 0;
        var wrong = new List<string>();
        for (int seed = 0; seed < 60; seed++)
        {
            var m = new ModuleGenerator(seed, GeneratorFeatures.Portable).Generate();
            Assert.DoesNotThrow(() => Validator.Validate(m));
            foreach (var broken in NearValid.Of(m))
            {
                try { Validator.Validate(broken.Module); wrong.Add($"seed {seed}: {broken.Rule} {broken.Reason}: valid"); }
                catch (ValidationException e) when (e.Reason.StartsWith(broken.Reason, StringComparison.Ordinal) && e.Rule == broken.Rule) { checkedModules++; }
                catch (ValidationException e) { wrong.Add($"seed {seed}: expected {broken.Rule} {broken.Reason}, got {e.Rule} {e.Reason}"); }
            }
        }
        Assert.That(wrong, Is.Empty, string.Join("\n", wrong.Distinct().Take(40)));
        Assert.That(checkedModules, Is.GreaterThan(60 * 14));
    }
}
