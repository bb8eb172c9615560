using System.Collections.Immutable;
using NUnit.Framework;

namespace Spec.Syntax.Tests;

public class CodeMetadataTests
{
    static readonly BlockType Empty = ValBlockType.Empty;

    [Test]
    public void Positions_follow_the_order_instructions_are_written_in()
    {
        var br = new BrIf(0);
        var call = new Call(7);
        var tryDelegate = new LegacyTryDelegate(Empty, [Drop.I], 0);
        ImmutableArray<Instr> body =
        [
            Nop.I,
            new If(Empty, [new Block(Empty, [br]), Return.I], [new Loop(Empty, [call])]),
            new LegacyTry(Empty, [Unreachable.I], [new LegacyCatch(0, [tryDelegate])], [Nop.I]),
            new TryTable(Empty, [], [Drop.I]),
        ];
        var order = InstrPositions.PreOrder(body).ToList();
        Assert.That(order.Select(i => i.GetType().Name), Is.EqualTo(new[]
        {
            "Nop", "If", "Block", "BrIf", "Return", "Loop", "Call",
            "LegacyTry", "Unreachable", "LegacyTryDelegate", "Drop", "Nop", "TryTable", "Drop",
        }));
        Assert.That(order[3], Is.SameAs(br));
        Assert.That(order[6], Is.SameAs(call));
        Assert.That(InstrPositions.PreOrder(default), Is.Empty);
    }

    [Test]
    public void Branch_hints_take_part_in_module_equality()
    {
        var hinted = Module.Empty with { BranchHints = [new FuncBranchHints(0, [new InstrBranchHint(3, BranchHint.Likely)])] };
        var same = Module.Empty with { BranchHints = [new FuncBranchHints(0, [new InstrBranchHint(3, BranchHint.Likely)])] };
        var other = Module.Empty with { BranchHints = [new FuncBranchHints(0, [new InstrBranchHint(3, BranchHint.Unlikely)])] };
        Assert.That(hinted, Is.EqualTo(same));
        Assert.That(hinted, Is.Not.EqualTo(other));
        Assert.That(hinted, Is.Not.EqualTo(Module.Empty));
        Assert.That(Module.Empty with { BranchHints = default }, Is.EqualTo(Module.Empty));
    }
}
