using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Validation.Tests;

public class BranchHintTests
{
    static Module P(string s) => Spec.TextFormat.Text.Parse(s);

    static ValidationException Rejects(Module m) => Assert.Throws<ValidationException>(() => Validator.ValidateCodeMetadata(m))!;

    const string Body = "(import \"m\" \"f\" (func)) (func (param i32) (block (br_if 0 (local.get 0)) (if (local.get 0) (then nop))))";
    // Function 1: block 0, local.get 1, br_if 2, local.get 3, if 4, nop 5.

    static Module With(params FuncBranchHints[] hints) => P(Body) with { BranchHints = [.. hints] };
    static FuncBranchHints H(uint func, params uint[] instrs) => new(func, [.. instrs.Select(i => new InstrBranchHint(i, BranchHint.Likely))]);

    [Test]
    public void Hints_on_if_and_br_if_are_valid()
    {
        Validator.ValidateCodeMetadata(With(H(1, 2, 4)));
        Validator.ValidateCodeMetadata(With());
        Validator.ValidateCodeMetadata(P("(func (param i32) (@metadata.code.branch_hint \"\\00\") (if (local.get 0) (then)))"));
    }

    [Test]
    public void A_hint_on_any_other_instruction_is_an_invalid_target()
    {
        foreach (var at in new uint[] { 0, 1, 3, 5, 6 })
        {
            var e = Rejects(With(H(1, at)));
            Assert.That((e.Reason, e.Rule, e.FuncIndex, e.InstrIndex), Is.EqualTo(("@metadata.code.branch_hint annotation: invalid target", "Branch_hint_ok", 1, (int)at)));
        }
    }

    [Test]
    public void Hints_name_defined_functions_once_each_in_order()
    {
        Assert.That(Rejects(With(H(0, 0))).Reason, Is.EqualTo("@metadata.code.branch_hint annotation: unknown function 0"));
        Assert.That(Rejects(With(H(2, 0))).Reason, Is.EqualTo("@metadata.code.branch_hint annotation: unknown function 2"));
        Assert.That(Rejects(With(H(1, 2), H(1, 4))).Reason, Is.EqualTo("@metadata.code.branch_hint annotation: functions out of order"));
        Assert.That(Rejects(With(H(1, 4, 2))).Reason, Is.EqualTo("@metadata.code.branch_hint annotation: hints out of order"));
        Assert.That(Rejects(With(new FuncBranchHints(1, [new InstrBranchHint(2, (BranchHint)7)]))).Reason, Is.EqualTo("@metadata.code.branch_hint annotation: invalid hint"));
    }

    [Test]
    public void Module_ok_does_not_look_at_hints()
    {
        var m = With(H(1, 0));
        Validator.Validate(m);
        Rejects(m);
    }
}
