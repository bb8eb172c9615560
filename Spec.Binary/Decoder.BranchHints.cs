using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// The branch hint section (metadata/code appendix of the branch hinting proposal), the decoding direction. Its
// offsets name instructions by where they start in a function body, so it is read before the code section (where
// it must be) and resolved to instruction positions once the code is decoded. A section that is malformed, or
// whose offsets are not where an instruction of a function body starts, is kept as an uninterpreted custom section:
// custom sections never make a module malformed.
internal ref partial struct Decoder
{
    /// <summary>The entries of a branch hint section's content by function, each (offset, hint) by increasing offset; null if malformed.</summary>
    static List<(uint Func, List<(uint Offset, BranchHint Hint)> Hints)>? BranchHintEntries(ReadOnlySpan<byte> content)
    {
        try
        {
            var d = new Decoder(content);
            return d.BranchHintEntries();
        }
        catch (DecodeException)
        {
            return null;
        }
    }

    // vec(codemetadatafunc(branch_hint)): funcidx vec(off:u32 size:u32 hint), functions and offsets strictly increasing.
    List<(uint, List<(uint, BranchHint)>)>? BranchHintEntries()
    {
        var funcs = new List<(uint, List<(uint, BranchHint)>)>();
        uint n = Count();
        for (uint i = 0; i < n; i++)
        {
            uint func = U32();
            if (i > 0 && func <= funcs[^1].Item1) return null;
            var hints = new List<(uint, BranchHint)>();
            uint m = Count();
            for (uint k = 0; k < m; k++)
            {
                uint offset = U32();
                if (k > 0 && offset <= hints[^1].Item1) return null;
                if (U32() != 1) return null;
                byte hint = Byte();
                if (hint > 1) return null;
                hints.Add((offset, (BranchHint)hint));
            }
            funcs.Add((func, hints));
        }
        return AtEnd ? funcs : null;
    }

    /// <summary>The hints as instruction positions, from where each body's instructions start in <paramref name="code"/>; null if one is not at an instruction.</summary>
    static ImmutableArray<FuncBranchHints>? ResolveBranchHints(List<(uint Func, List<(uint Offset, BranchHint Hint)> Hints)> entries, Trace code, uint imported)
    {
        var result = ImmutableArray.CreateBuilder<FuncBranchHints>(entries.Count);
        foreach (var (func, hints) in entries)
        {
            if (func < imported || func - imported >= (uint)code.Bodies.Count) return null;
            int body = (int)(func - imported);
            var span = code.Bodies[body];
            int endEvent = body + 1 < code.Bodies.Count ? code.Bodies[body + 1].FirstEvent : code.Events.Count;
            // Where each instruction starts, by position: block openings and plain instructions, in binary order.
            var starts = new List<int>();
            for (int e = span.FirstEvent; e < endEvent; e++)
                if (code.Events[e].Kind is CodeEventKind.Instr or CodeEventKind.Begin) starts.Add(code.Events[e].Offset - span.Start);
            var positioned = ImmutableArray.CreateBuilder<InstrBranchHint>(hints.Count);
            foreach (var (offset, hint) in hints)
            {
                int at = offset <= int.MaxValue ? starts.BinarySearch((int)offset) : -1;
                if (at < 0) return null;
                positioned.Add(new InstrBranchHint((uint)at, hint));
            }
            result.Add(new FuncBranchHints(func, positioned.MoveToImmutable()));
        }
        return result.MoveToImmutable();
    }
}
