using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

public class BranchHintTests
{
    static Module P(string s) => Spec.TextFormat.Text.Parse(s);
    static string Fails(string s) => Assert.Throws<ParseException>(() => P(s))!.Reason;

    const string Likely = "(@metadata.code.branch_hint \"\\01\")";
    const string Unlikely = "(@metadata.code.branch_hint \"\\00\")";

    static FuncBranchHints Hints(uint func, params (uint Instr, BranchHint Hint)[] hs) => new(func, [.. hs.Select(h => new InstrBranchHint(h.Instr, h.Hint))]);

    [Test]
    public void An_unfolded_instruction_is_hinted_at_its_position()
    {
        var m = P($"(func (param i32) local.get 0 {Likely} if i32.const 1 {Unlikely} br_if 0 drop end)");
        // local.get 0, if, i32.const 1, br_if 0, drop
        Assert.That(m.BranchHints, Is.EqualTo(new[] { Hints(0, (1, BranchHint.Likely), (3, BranchHint.Unlikely)) }));
    }

    [Test]
    public void A_folded_instruction_comes_after_its_operands_and_a_folded_if_after_its_condition()
    {
        var m = P($"(func (param i32) (block {Likely} (br_if 0 (i32.eqz (local.get 0)))" +
                  $" {Unlikely} (if (i32.const 1) (local.get 0) (then nop) (else {Likely} (br_if 1 (i32.const 0))))))");
        // block 0, local.get 1, i32.eqz 2, br_if 3, i32.const 4, local.get 5, if 6, nop 7, i32.const 8, br_if 9
        Assert.That(m.BranchHints, Is.EqualTo(new[] { Hints(0, (3, BranchHint.Likely), (6, BranchHint.Unlikely), (9, BranchHint.Likely)) }));
    }

    [Test]
    public void Functions_are_named_by_their_index_imports_first()
    {
        var m = P($"(import \"m\" \"f\" (func)) (func) (func (param i32) (local i32) (local.get 0) {Unlikely} (if (then)))");
        Assert.That(m.BranchHints, Is.EqualTo(new[] { Hints(2, (1, BranchHint.Unlikely)) }));
        Assert.That(P("(func (param i32) (if (local.get 0) (then)))").BranchHints, Is.Empty);
    }

    [Test]
    public void A_hint_not_right_before_an_instruction_goes_to_the_next_one_that_begins()
    {
        // block 0, nop 1, local.get 2, br_if 3: the hint before "end" and the one before the locals.
        var m = P($"(func (param i32) {Unlikely} (local i32) block nop {Likely} end (br_if 0 (local.get 0)))");
        Assert.That(m.BranchHints, Is.EqualTo(new[] { Hints(0, (0, BranchHint.Unlikely), (3, BranchHint.Likely)) }));
        // A folded br_if begins before its operand but comes after it: block 0, nop 1, local.get 2, br_if 3.
        var folded = P($"(func (param i32) (block nop {Likely} (br_if 0 {Unlikely} (local.get 0))))");
        Assert.That(folded.BranchHints, Is.EqualTo(new[] { Hints(0, (2, BranchHint.Unlikely), (3, BranchHint.Likely)) }));
    }

    [Test]
    public void A_hint_on_another_instruction_is_well_formed()
    {
        var m = P($"(func {Likely} nop)");
        Assert.That(m.BranchHints, Is.EqualTo(new[] { Hints(0, (0, BranchHint.Likely)) }));
    }

    [Test]
    public void Malformed_annotations_are_parse_errors()
    {
        Assert.That(Fails($"(func (param i32) local.get 0 {Likely} {Likely} if end)"), Is.EqualTo("@metadata.code.branch_hint annotation: duplicate annotation"));
        Assert.That(Fails($"{Likely} (func)"), Is.EqualTo("@metadata.code.branch_hint annotation: not in a function"));
        Assert.That(Fails($"(global i32 {Likely} (i32.const 0))"), Is.EqualTo("@metadata.code.branch_hint annotation: not in a function"));
        Assert.That(Fails($"(func block nop {Likely} end)"), Is.EqualTo("@metadata.code.branch_hint annotation: invalid placement"));
        Assert.That(Fails($"(func nop {Likely})"), Is.EqualTo("@metadata.code.branch_hint annotation: invalid placement"));
        Assert.That(Fails($"(func (import \"m\" \"f\") {Likely})"), Is.EqualTo("@metadata.code.branch_hint annotation: not in a function"));
        Assert.That(Fails("(func (@metadata.code.branch_hint \"\\02\") nop)"), Is.EqualTo("@metadata.code.branch_hint annotation: invalid hint value"));
        Assert.That(Fails("(func (@metadata.code.branch_hint \"\\01\\01\") nop)"), Is.EqualTo("@metadata.code.branch_hint annotation: invalid hint value"));
        Assert.That(Fails("(func (@metadata.code.branch_hint) nop)"), Is.EqualTo("@metadata.code.branch_hint annotation: invalid hint value"));
        Assert.That(Fails("(func (@metadata.code.branch_hint 1) nop)"), Is.EqualTo("@metadata.code.branch_hint annotation: unexpected token"));
    }

    [Test]
    public void Hints_on_every_instruction_of_generated_bodies_print_and_parse_back()
    {
        int hints = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Generators.Module().ToArbitrary(), m =>
        {
            uint imported = (uint)m.ImportsOf(ExternKind.Func).Count();
            var hinted = m.BranchHints.IsDefaultOrEmpty ? m with
            {
                BranchHints = [.. m.Funcs.OrEmpty().Select((f, i) => new FuncBranchHints(imported + (uint)i,
                    [.. InstrPositions.PreOrder(f.Body.Instrs).Select((_, k) => new InstrBranchHint((uint)k, (BranchHint)(k % 2)))]))
                    .Where(fh => fh.Hints.Length > 0)],
            } : m;
            hints += hinted.BranchHints.Sum(fh => fh.Hints.Length);
            var text = Spec.TextFormat.Text.Print(hinted);
            Assert.That(P(text).BranchHints, Is.EqualTo(hinted.BranchHints.OrEmpty()), text);
        }));
        Assert.That(hints, Is.GreaterThan(100), "the generated bodies had instructions to hint");
    }

    [Test]
    public void Printing_puts_each_annotation_before_its_instruction_and_reads_back()
    {
        var m = P($"(func (param i32) (block (local.get 0) {Likely} (br_if 0) (local.get 0) {Unlikely} (if (then nop))))");
        var text = Spec.TextFormat.Text.Print(m);
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        Assert.That(lines[lines.IndexOf("br_if 0") - 1], Is.EqualTo(Likely));
        Assert.That(lines[lines.IndexOf("if") - 1], Is.EqualTo(Unlikely));
        Assert.That(lines.Count(l => l.StartsWith("(@metadata")), Is.EqualTo(2));
        Assert.That(P(text), Is.EqualTo(m));
    }
}
