using Spec.Syntax;

namespace Spec.TextFormat;

// Branch hint annotations, the printing direction: each hinted instruction of a function body is preceded by its
// (@metadata.code.branch_hint "\00"|"\01") on a line of its own. Positions count instructions as they are printed.
internal sealed partial class Printer
{
    Dictionary<uint, FuncBranchHints>? hintsByFunc;

    /// <summary>The hints of function <paramref name="func"/> by instruction position, or null if it has none.</summary>
    Dictionary<uint, BranchHint>? BranchHintsOf(uint func)
    {
        hintsByFunc ??= m.BranchHints.OrEmpty().GroupBy(fh => fh.Func).ToDictionary(g => g.Key, g => g.First());
        if (!hintsByFunc.TryGetValue(func, out var fh)) return null;
        var byPosition = new Dictionary<uint, BranchHint>();
        foreach (var h in fh.Hints.OrEmpty()) byPosition.TryAdd(h.Instr, h.Hint);
        return byPosition;
    }

    internal sealed partial class Body
    {
        uint position;   // the position of the next instruction printed

        /// <summary>The branch hints of the function whose body this is, by instruction position.</summary>
        internal IReadOnlyDictionary<uint, BranchHint>? Hints { get; init; }

        /// <summary>The index of the function whose body this is (none for a constant expression).</summary>
        internal uint? Func { get; init; }

        /// <summary>Notes the line of the instruction about to be printed, whose position was just claimed.</summary>
        void Locate()
        {
            if (p.Located is { } located && inline is null && Func is { } f) located[(f, position - 1)] = p.line;
        }

        /// <summary>The annotation of the instruction about to be printed, if it is hinted; claims its position.</summary>
        void BranchHintAnnotation()
        {
            if (Hints is not null && Hints.TryGetValue(position, out var h)) Emit($"(@metadata.code.branch_hint \"\\{(byte)h:x2}\")");
            position++;
        }
    }
}
