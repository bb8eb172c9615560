using Spec.Syntax;

namespace Spec.TextFormat;

// Branch hint annotations (metadata/code appendix of the branch hinting proposal): (@metadata.code.branch_hint "\00"|"\01")
// right before an instruction of a function body hints that instruction. Each instruction's position is claimed
// where it falls in the order instructions are written: a plain or block instruction at its keyword, a folded plain
// instruction after its operands, a folded if after its condition. Whether the hinted instruction can take a hint
// (if, br_if) is validity, not well-formedness: it is checked on the module, not here.

internal sealed partial class Parser
{
    private const string BranchHintId = "metadata.code.branch_hint";

    private bool inFuncBody;
    private uint instrPos;
    private readonly List<InstrBranchHint> funcHints = [];
    private readonly List<FuncBranchHints> branchHints = [];

    /// <summary>Claims the next instruction position for the instruction whose text begins at token <paramref name="start"/>.</summary>
    private void Positioned(int start)
    {
        if (!inFuncBody) return;
        uint at = instrPos++;
        if (annots.Count == 0) return;
        var found = AnnotationsAt(start, BranchHintId).ToList();
        if (found.Count == 0) return;
        if (found.Count > 1) throw found[1].Start.Error($"@{BranchHintId} annotation: duplicate annotation");
        usedAnnots.Add(found[0]);
        funcHints.Add(new InstrBranchHint(at, HintOf(found[0])));
    }

    // "(@metadata.code.branch_hint" datastring ")" whose bytes are one hint: 0x00 unlikely, 0x01 likely.
    private static BranchHint HintOf(Annotation a)
    {
        var bytes = new List<byte>();
        foreach (var t in a.Body)
        {
            if (t.Kind != TokenKind.String) throw t.Error($"@{BranchHintId} annotation: unexpected token");
            bytes.AddRange(t.Bytes ?? []);
        }
        return bytes is [0 or 1] ? (BranchHint)bytes[0] : throw a.Start.Error($"@{BranchHintId} annotation: malformed hint");
    }

    private void BeginFuncBody()
    {
        inFuncBody = true;
        instrPos = 0;
        funcHints.Clear();
    }

    /// <summary>Ends the body of function <paramref name="x"/>, which spans tokens from <paramref name="begin"/> to the cursor.</summary>
    private void EndFuncBody(uint x, int begin)
    {
        inFuncBody = false;
        foreach (var a in annots)
            if (a.TokenIndex >= begin && a.TokenIndex <= pos && a.Id == BranchHintId && !usedAnnots.Contains(a))
                throw a.Start.Error($"@{BranchHintId} annotation: not before an instruction");
        if (funcHints.Count > 0) branchHints.Add(new FuncBranchHints(x, [.. funcHints]));
    }

    /// <summary>A branch hint annotation that no function body consumed is outside every function.</summary>
    private void CheckBranchHintsUsed(int begin, int end)
    {
        foreach (var a in annots)
            if (a.TokenIndex >= begin && a.TokenIndex <= end && a.Id == BranchHintId && !usedAnnots.Contains(a))
                throw a.Start.Error($"@{BranchHintId} annotation: not in a function");
    }
}
