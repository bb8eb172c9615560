using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Binary.Tests;

/// <summary>The binary format has no nesting limit: encoding, like decoding, walks blocks without host recursion.</summary>
public class DeepNestingTests
{
    /// <summary><paramref name="inner"/> inside <paramref name="depth"/> blocks, taking every nesting form in turn.</summary>
    internal static Instr Nest(int depth, Instr inner)
    {
        for (int d = 0; d < depth; d++)
            inner = (d % 7) switch
            {
                0 => new Block(ValBlockType.Empty, [inner]),
                1 => new Loop(ValBlockType.Empty, [Nop.I, inner]),
                2 => new If(ValBlockType.Empty, [inner], [Nop.I]),
                3 => new If(ValBlockType.Empty, [Nop.I], [inner]),
                4 => new TryTable(ValBlockType.Empty, [new CatchAll(0), new CatchTag(0, 1)], [inner]),
                5 => new LegacyTry(ValBlockType.Empty, [Nop.I], [new LegacyCatch(0, [inner])], [Drop.I]),
                _ => new LegacyTryDelegate(ValBlockType.Empty, [inner], 0),
            };
        return inner;
    }

    [Test]
    public void Blocks_nested_a_million_deep_encode_and_decode_back()
    {
        const int depth = 1_000_000;
        var body = Nest(depth, new BrIf(0));
        uint hinted = (uint)InstrPositions.PreOrder([body]).TakeWhile(i => i is not BrIf).Count();
        var m = Module.Empty with
        {
            Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]))],
            Funcs = [new Func(0, [], new Expr([body]))],
            BranchHints = [new FuncBranchHints(0, [new InstrBranchHint(hinted, BranchHint.Likely)])],
        };
        var bytes = BinaryFormat.Binary.Encode(m);
        Assert.That(BinaryFormat.Binary.Decode(bytes, Features.All), Is.EqualTo(m));
    }
}
