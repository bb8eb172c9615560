using Spec.Syntax;

namespace Spec.Validation;

// Validity of code metadata (metadata/code appendix of the branch hinting proposal). Metadata never changes what a
// module means, so Module_ok does not look at it: a consumer that wants to trust the metadata checks it separately.

public static partial class Validator
{
    private const string BranchHintReason = "@metadata.code.branch_hint annotation";

    /// <summary>
    /// Checks the branch hints of <paramref name="m"/>: each names a function with a body, at most once and in
    /// increasing order, and within it an if or br_if, by increasing position. Throws <see cref="ValidationException"/>.
    /// </summary>
    public static void ValidateCodeMetadata(Module m)
    {
        uint imported = (uint)m.ImportsOf(ExternKind.Func).Count();
        var funcs = m.Funcs.OrEmpty();
        long lastFunc = -1;
        foreach (var fh in m.BranchHints.OrEmpty())
        {
            if (fh.Func <= lastFunc) FailHint($"{BranchHintReason}: functions out of order", fh.Func, null);
            lastFunc = fh.Func;
            if (fh.Func < imported || fh.Func - imported >= (uint)funcs.Length) FailHint($"{BranchHintReason}: unknown function {fh.Func}", fh.Func, null);
            var instrs = InstrPositions.PreOrder(funcs[(int)(fh.Func - imported)].Body.Instrs).ToList();
            long last = -1;
            foreach (var h in fh.Hints.OrEmpty())
            {
                if (h.Instr <= last) FailHint($"{BranchHintReason}: hints out of order", fh.Func, h.Instr);
                last = h.Instr;
                if (h.Hint is not (BranchHint.Likely or BranchHint.Unlikely)) FailHint($"{BranchHintReason}: invalid hint", fh.Func, h.Instr);
                // Branch_hint_ok: only a conditional branch can be hinted.
                if (h.Instr >= (uint)instrs.Count || instrs[(int)h.Instr] is not (If or BrIf))
                    FailHint($"{BranchHintReason}: invalid target", fh.Func, h.Instr);
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void FailHint(string reason, uint func, uint? instr) =>
        throw new ValidationException(reason, "Branch_hint_ok", instr is { } i ? $"func {func}, instr {i}" : $"func {func}",
            func <= int.MaxValue ? (int)func : null, instr <= int.MaxValue ? (int?)instr : null);
}
