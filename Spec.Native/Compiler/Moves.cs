using Spec.Native.Runtime;
using Spec.Native.X64;

namespace Spec.Native.Compiler;

// Parallel moves: several values must reach their places at once (arguments into argument registers, a branch's
// values into the label's locations, results into result registers) while some of them still sit where others
// must go. Moves whose destination nobody still reads go first; a cycle of registers is broken by an exchange.
// Spill slots only move downwards (a value at stack position q goes to the slot of a position <= q), so a cycle
// never runs through memory.

/// <summary>A place a value can be moved to: a register, a spill slot, or a stack-passed argument or result.</summary>
internal readonly record struct Loc(LocKind Kind, int Index)
{
    public static Loc Gpr(Reg r) => new(LocKind.Gpr, (int)r);
    public static Loc Xmm(Xmm x) => new(LocKind.Xmm, (int)x);
    public static Loc Slot(int slot) => new(LocKind.Slot, slot);
    /// <summary>Stack-passed argument k of a call (<c>[rsp + 16k]</c>).</summary>
    public static Loc Outgoing(int k) => new(LocKind.Outgoing, k);
    /// <summary>This function's own stack-passed parameter or result k (<c>[rbp + 16 + 16k]</c>).</summary>
    public static Loc Incoming(int k) => new(LocKind.Incoming, k);

    public bool IsReg => Kind is LocKind.Gpr or LocKind.Xmm;
}

internal enum LocKind : byte { Gpr, Xmm, Slot, Outgoing, Incoming }

/// <summary>One move of a parallel set: <see cref="Source"/> (an operand stack entry) to <see cref="Dest"/>.</summary>
internal readonly record struct Move(Loc Dest, Entry Source);

internal sealed partial class FunctionCompiler
{
    /// <summary>Emits <paramref name="moves"/> as if all happened at once (the list is consumed).</summary>
    void ParallelMove(List<Move> moves)
    {
        for (int k = moves.Count - 1; k >= 0; k--)
            if (IsAlready(moves[k])) RemoveAt(moves, k);
        while (moves.Count > 0)
        {
            bool progress = false;
            for (int k = moves.Count - 1; k >= 0; k--)
            {
                var m = moves[k];
                if (IsRead(moves, m.Dest, k)) continue;
                MoveTo(m.Dest, m.Source);
                RemoveAt(moves, k);
                progress = true;
            }
            if (progress) continue;
            var pending = moves;
            // Every remaining destination is still read: a cycle of registers (an entry's own or a pinned local's).
            // Exchange the first move's two registers; the move is then done, and whoever read its destination now
            // reads its source's register.
            var first = pending[0];
            var from = SourceRegister(first.Source) ?? throw new InvalidOperationException("a move cycle through memory");
            int dst = first.Dest.Index, src = from.Index;
            bool xmm = first.Dest.Kind == LocKind.Xmm;
            if (!xmm)
            {
                a.Mov(Width.W64, Scratch, (Reg)dst);
                a.Mov(Width.W64, (Reg)dst, (Reg)src);
                a.Mov(Width.W64, (Reg)src, Scratch);
            }
            else
            {
                a.Sse(SseOp.Movdqa, Xmm.Xmm15, (Xmm)dst);
                a.Sse(SseOp.Movdqa, (Xmm)dst, (Xmm)src);
                a.Sse(SseOp.Movdqa, (Xmm)src, Xmm.Xmm15);
            }
            RemoveAt(pending, 0);
            for (int k = 0; k < pending.Count; k++)
            {
                var s = pending[k].Source;
                if (SourceRegister(s) is { } r && r.Kind == first.Dest.Kind && r.Index == dst)
                    pending[k] = pending[k] with { Source = xmm ? Entry.InXmm(s.Class, (Xmm)src) : Entry.InGpr(s.Class, (Reg)src) };
            }
        }
    }

    /// <summary>Removes item k; the order of a parallel set does not matter.</summary>
    static void RemoveAt(List<Move> moves, int k)
    {
        moves[k] = moves[^1];
        moves.RemoveAt(moves.Count - 1);
    }

    static bool IsAlready(Move m) =>
        (m.Source.Kind == Kind.Reg && m.Dest.IsReg && m.Dest.Index == m.Source.Reg && (m.Dest.Kind == LocKind.Xmm) == m.Source.IsFloat)
        || (m.Source.Kind == Kind.Stack && m.Dest.Kind == LocKind.Slot && m.Dest.Index == m.Source.Slot);

    /// <summary>Whether a pending move other than <paramref name="except"/> reads <paramref name="dest"/>.</summary>
    bool IsRead(List<Move> pending, Loc dest, int except)
    {
        for (int k = 0; k < pending.Count; k++)
        {
            if (k == except) continue;
            var m = pending[k];
            if (dest.Kind == LocKind.Slot && m.Source.Kind == Kind.Stack && m.Source.Slot == dest.Index) return true;
            if (dest.IsReg && SourceRegister(m.Source) is { } s && s.Kind == dest.Kind && s.Index == dest.Index) return true;
        }
        return false;
    }

    /// <summary>The register a source reads, if any (an entry's own register, or a pinned local's).</summary>
    Loc? SourceRegister(Entry e) => e.Kind switch
    {
        Kind.Reg => e.IsFloat ? Loc.Xmm(e.Xmm) : Loc.Gpr(e.Gpr),
        Kind.Local when localReg[e.Local] >= 0 && localWhere[e.Local] != Where.Mem =>
            Abi.IsFloat(localClass[e.Local]) ? Loc.Xmm((Xmm)localReg[e.Local]) : Loc.Gpr((Reg)localReg[e.Local]),
        _ => null,
    };
}
