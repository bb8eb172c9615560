using System.Collections.Immutable;

namespace Spec.Syntax;

// Code metadata (the metadata/code appendix of the branch hinting proposal): facts about single instructions that do
// not change what the module means. An instruction is named by its position: its index among the function body's
// instructions in the order they are written, nested ones included (a pre-order walk, from 0; end, else and the
// catch clauses of a legacy try are not instructions of their own).

/// <summary>branch hint ::= UNLIKELY | LIKELY: whether the condition of an if or br_if is likely to be true.</summary>
public enum BranchHint : byte { Unlikely = 0, Likely = 1 }

/// <summary>A branch hint on the instruction at position <paramref name="Instr"/> of a function body.</summary>
public readonly record struct InstrBranchHint(uint Instr, BranchHint Hint);

/// <summary>The branch hints of function <paramref name="Func"/> (an index of the function index space), by increasing position.</summary>
public sealed record FuncBranchHints(uint Func, ImmutableArray<InstrBranchHint> Hints)
{
    public bool Equals(FuncBranchHints? o) => o is not null && Func == o.Func && Sequences.Equal(Hints, o.Hints);
    public override int GetHashCode() => HashCode.Combine(Func, Sequences.Hash(Hints));
}

/// <summary>Instruction positions as code metadata counts them.</summary>
public static class InstrPositions
{
    /// <summary>The instructions of a body in position order: each instruction, then the instructions nested in it.</summary>
    public static IEnumerable<Instr> PreOrder(ImmutableArray<Instr> body)
    {
        var stack = new Stack<(ImmutableArray<Instr> Seq, int Next)>();
        stack.Push((body.OrEmpty(), 0));
        while (stack.Count > 0)
        {
            var (seq, next) = stack.Pop();
            if (next >= seq.Length) continue;
            stack.Push((seq, next + 1));
            var instr = seq[next];
            yield return instr;
            // Pushed last-first, so that they are walked first-first.
            foreach (var nested in Nested(instr).Reverse()) stack.Push((nested, 0));
        }
    }

    /// <summary>The instruction sequences directly nested in an instruction, in the order they are written.</summary>
    static IEnumerable<ImmutableArray<Instr>> Nested(Instr instr) => instr switch
    {
        Block b => [b.Body],
        Loop l => [l.Body],
        If i => [i.Then, i.Else],
        TryTable t => [t.Body],
        LegacyTry t => [t.Body, .. t.Catches.OrEmpty().Select(c => c.Body), .. t.CatchAll is { } all ? [all] : Array.Empty<ImmutableArray<Instr>>()],
        LegacyTryDelegate t => [t.Body],
        _ => [],
    };
}
