using Spec.Syntax;

namespace Spec.BinaryFormat;

// The branch hint section (metadata/code appendix of the branch hinting proposal), the encoding direction:
// codemetadatasec(branch_hint) ::= section_0("metadata.code.branch_hint" vec(funcidx vec(off:u32 size:u32 hint:byte))),
// off counted from the start of the function's locals declaration. The offsets are only known once the code is
// encoded, so hinted bodies record where each instruction starts, by position, as they are written.
internal sealed partial class Encoder
{
    internal const string BranchHintSectionName = "metadata.code.branch_hint";

    /// <summary>While a hinted body is encoded: the offset of each instruction written so far, by position.</summary>
    List<int>? _instrStarts;
    /// <summary>The hints of each hinted function, by its index among the module's function definitions.</summary>
    Dictionary<int, FuncBranchHints>? _hintsOfBody;
    /// <summary>The encoded hints: function index, then (offset, hint) by increasing offset.</summary>
    readonly List<(uint Func, List<(int Offset, BranchHint Hint)> Hints)> _hintOffsets = [];

    void PrepareBranchHints(Module m)
    {
        var all = m.BranchHints.OrEmpty();
        if (all.IsEmpty) return;
        uint imported = (uint)m.ImportsOf(ExternKind.Func).Count();
        int defined = m.Funcs.OrEmpty().Length;
        _hintsOfBody = [];
        foreach (var fh in all)
        {
            if (fh.Func < imported || fh.Func - imported >= (uint)defined) throw Unencodable($"branch hints for function {fh.Func}, which has no body");
            if (!_hintsOfBody.TryAdd((int)(fh.Func - imported), fh)) throw Unencodable($"branch hints for function {fh.Func} given twice");
        }
    }

    void BodyBegins(int body) => _instrStarts = _hintsOfBody?.ContainsKey(body) == true ? [] : null;

    void BodyEnded(int body)
    {
        if (_instrStarts is null) return;
        var fh = _hintsOfBody![body];
        var hints = new List<(int, BranchHint)>();
        foreach (var h in fh.Hints.OrEmpty())
        {
            if (h.Instr >= (uint)_instrStarts.Count) throw Unencodable($"branch hint at instruction {h.Instr} of function {fh.Func}, which has {_instrStarts.Count}");
            hints.Add((_instrStarts[(int)h.Instr], h.Hint));
        }
        hints.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (int i = 1; i < hints.Count; i++)
            if (hints[i].Item1 == hints[i - 1].Item1) throw Unencodable($"two branch hints on one instruction of function {fh.Func}");
        _hintOffsets.Add((fh.Func, hints));
        _instrStarts = null;
    }

    // Bcodemetadatasec(Bbranchhint), with the functions in increasing index order; nothing without hints.
    void BranchHintSection(ByteWriter w)
    {
        if (_hintOffsets.Count == 0) return;
        _hintOffsets.Sort((a, b) => a.Func.CompareTo(b.Func));
        var content = new ByteWriter();
        content.Name(BranchHintSectionName);
        content.U32((uint)_hintOffsets.Count);
        foreach (var (func, hints) in _hintOffsets)
        {
            content.U32(func);
            content.U32((uint)hints.Count);
            foreach (var (offset, hint) in hints)
            {
                content.U32((uint)offset);
                content.U32(1);
                content.Byte((byte)hint);
            }
        }
        w.Byte(0);
        w.Sized(content);
    }
}
