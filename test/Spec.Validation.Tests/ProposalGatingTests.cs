using System.Text;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Validation.Tests;

/// <summary>Wasm 3.0 exactly by default: each proposal's instructions and types are invalid until its feature is on.</summary>
public class ProposalGatingTests
{
    public static IEnumerable<TestCaseData> ProposalModules() =>
    [
        new("threads", "(module (memory 1 1 shared))"),
        new("threads", "(module (memory 1) (func (drop (i32.atomic.load (i32.const 0)))))"),
        new("threads", "(module (memory 1) (func (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))"),
        new("threads", "(module (func atomic.fence))"),
        new("wide-arithmetic", "(module (func (result i64 i64) (i64.mul_wide_s (i64.const 2) (i64.const 3))))"),
        new("custom-page-sizes", "(module (memory 1 (pagesize 1)))"),
        new("custom-descriptors", "(module (type (struct)) (func (param (ref null (exact 0)))))"),
        new("custom-descriptors", "(module (rec (type (descriptor 1) (struct)) (type (describes 0) (struct))))"),
        new("legacy-exceptions", "(module (func (try (do) (catch_all))))"),
        new("legacy-exceptions", "(module (tag) (func (try (do) (delegate 0))))"),
    ];

    static Module Parse(string wat) => Text.Parse(Encoding.UTF8.GetBytes(wat));

    [TestCaseSource(nameof(ProposalModules))]
    public void A_proposal_construct_is_invalid_in_wasm_3_and_valid_with_its_feature(string feature, string wat)
    {
        var m = Parse(wat);
        var e = Assert.Throws<ValidationException>(() => Validator.Validate(m))!;
        Assert.That(e.Reason, Does.StartWith($"{feature} is not enabled"));
        Assert.That(Assert.Throws<ValidationException>(() => Validator.Validate(m, Features.Default))!.Reason, Is.EqualTo(e.Reason));
        Assert.DoesNotThrow(() => Validator.Validate(m, Features.Parse(feature)));
        Assert.DoesNotThrow(() => Validator.Validate(m, Features.All));
    }

    [Test]
    public void Another_proposal_does_not_enable_it()
    {
        var atomics = Parse("(module (memory 1) (func (drop (i32.atomic.load (i32.const 0)))))");
        var others = Features.All with { Threads = false };
        Assert.That(Assert.Throws<ValidationException>(() => Validator.Validate(atomics, others))!.Reason, Does.StartWith("threads is not enabled"));
    }

    [Test]
    public void Wasm_3_modules_stay_valid_with_every_proposal_off()
    {
        var m = Parse("(module (memory i64 1) (memory 1) (table 1 funcref) (table 1 funcref) (tag) (type (struct (field i32)))" +
                      " (func (result i64) (block (try_table (catch_all 0))) (drop (struct.new 0 (i32.const 1))) (i64.const 1)))");
        Assert.DoesNotThrow(() => Validator.Validate(m));
    }
}
