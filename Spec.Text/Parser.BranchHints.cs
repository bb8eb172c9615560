using Spec.Syntax;

namespace Spec.TextFormat;

// Branch hint annotations (metadata/code appendix of the branch hinting proposal): (@metadata.code.branch_hint
// "\00"|"\01") inside a function hints the first instruction of its body that begins after the annotation. Each
// instruction's position is claimed where it falls in the order instructions are written: a plain or block
// instruction at its keyword, a folded plain instruction after its operands, a folded if after its condition.
// Whether the hinted instruction can take a hint (if, br_if) is validity, not well-formedness: it is checked on the
// module, not here.

internal sealed partial class Parser
{
    private const string BranchHintId = "metadata.code.branch_hint";

    private bool inFuncBody;
    private uint instrPos;
    /// <summary>Where each instruction of the function body being parsed begins (a token index), with its position.</summary>
    private readonly List<(int Start, uint Position)> instrStarts = [];
    private readonly List<FuncBranchHints> branchHints = [];
    /// <summary>The branch hint annotations of the source by token index, found once: most sources have none.</summary>
    private List<Annotation>? hintAnnots;

    /// <summary>The index of the first annotation of <paramref name="sorted"/> after token <paramref name="token"/>.</summary>
    private static int FirstAfter(List<Annotation> sorted, int token)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid].TokenIndex <= token) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Claims the next instruction position for the instruction whose text begins at token <paramref name="start"/>.</summary>
    private void Positioned(int start)
    {
        if (inFuncBody) instrStarts.Add((start, instrPos++));
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
        return bytes is [0 or 1] ? (BranchHint)bytes[0] : throw a.Start.Error($"@{BranchHintId} annotation: invalid hint value");
    }

    private void BeginFuncBody()
    {
        inFuncBody = true;
        instrPos = 0;
        instrStarts.Clear();
    }

    /// <summary>Ends the body of function <paramref name="x"/>, whose text spans tokens from its "(" at <paramref name="begin"/> to the cursor.</summary>
    private void EndFuncBody(uint x, int begin)
    {
        inFuncBody = false;
        var all = hintAnnots ??= [.. annots.Where(a => a.Id == BranchHintId).OrderBy(a => a.TokenIndex)];
        if (all.Count == 0) return;
        var found = new List<Annotation>();
        for (int i = FirstAfter(all, begin); i < all.Count && all[i].TokenIndex <= pos; i++)
            if (!usedAnnots.Contains(all[i])) found.Add(all[i]);
        if (found.Count == 0) return;
        var byStart = instrStarts.OrderBy(s => s.Start).ToList();
        var starts = byStart.Select(s => s.Start).ToList();
        var hinted = new Dictionary<uint, BranchHint>();
        foreach (var a in found)
        {
            int k = starts.BinarySearch(a.TokenIndex);
            if (k < 0) k = ~k;
            if (k == starts.Count) throw a.Start.Error($"@{BranchHintId} annotation: invalid placement");
            var hint = HintOf(a);
            if (!hinted.TryAdd(byStart[k].Position, hint)) throw a.Start.Error($"@{BranchHintId} annotation: duplicate annotation");
            usedAnnots.Add(a);
        }
        branchHints.Add(new FuncBranchHints(x, [.. hinted.OrderBy(h => h.Key).Select(h => new InstrBranchHint(h.Key, h.Value))]));
    }

    /// <summary>A branch hint annotation that no function body consumed is outside every function.</summary>
    private void CheckBranchHintsUsed(int begin, int end)
    {
        foreach (var a in annots)
            if (a.TokenIndex >= begin && a.TokenIndex <= end && a.Id == BranchHintId && !usedAnnots.Contains(a))
                throw a.Start.Error($"@{BranchHintId} annotation: not in a function");
    }
}
