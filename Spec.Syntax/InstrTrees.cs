using System.Collections.Immutable;

namespace Spec.Syntax;

/// <summary>
/// Structural equality and hashing of the instructions that nest (block, loop, if, try_table, the legacy try forms),
/// walked with an explicit stack: bodies nest as deeply as the input does, and comparing them must not exhaust the
/// thread's stack. Every other instruction compares by its own record equality, which never nests.
/// </summary>
internal static class InstrTrees
{
    public static bool Equal(Instr a, Instr b)
    {
        var pending = new Stack<(ImmutableArray<Instr> X, ImmutableArray<Instr> Y)>();
        if (!Shallow(a, b, pending)) return false;
        while (pending.TryPop(out var pair))
        {
            var (xs, ys) = (pair.X.OrEmpty(), pair.Y.OrEmpty());
            if (xs.Length != ys.Length) return false;
            for (int i = 0; i < xs.Length; i++)
                if (!ReferenceEquals(xs[i], ys[i]) && !Shallow(xs[i], ys[i], pending)) return false;
        }
        return true;
    }

    /// <summary>Whether two instructions agree apart from their nested sequences, which are left on <paramref name="pending"/>.</summary>
    static bool Shallow(Instr a, Instr b, Stack<(ImmutableArray<Instr>, ImmutableArray<Instr>)> pending)
    {
        switch (a, b)
        {
            case (Block x, Block y) when x.Type.Equals(y.Type):
                pending.Push((x.Body, y.Body));
                return true;
            case (Loop x, Loop y) when x.Type.Equals(y.Type):
                pending.Push((x.Body, y.Body));
                return true;
            case (If x, If y) when x.Type.Equals(y.Type):
                pending.Push((x.Then, y.Then));
                pending.Push((x.Else, y.Else));
                return true;
            case (TryTable x, TryTable y) when x.Type.Equals(y.Type) && Sequences.Equal(x.Catches, y.Catches):
                pending.Push((x.Body, y.Body));
                return true;
            case (LegacyTry x, LegacyTry y) when x.Type.Equals(y.Type) && x.CatchAll.HasValue == y.CatchAll.HasValue:
            {
                var (cx, cy) = (x.Catches.OrEmpty(), y.Catches.OrEmpty());
                if (cx.Length != cy.Length) return false;
                for (int i = 0; i < cx.Length; i++)
                {
                    if (cx[i].Tag != cy[i].Tag) return false;
                    pending.Push((cx[i].Body, cy[i].Body));
                }
                pending.Push((x.Body, y.Body));
                if (x.CatchAll is { } ax) pending.Push((ax, y.CatchAll!.Value));
                return true;
            }
            case (LegacyTryDelegate x, LegacyTryDelegate y) when x.Type.Equals(y.Type) && x.Label == y.Label:
                pending.Push((x.Body, y.Body));
                return true;
            case (Block or Loop or If or TryTable or LegacyTry or LegacyTryDelegate, _):
                return false;
            default:
                return a.Equals(b);
        }
    }

    /// <summary>A hash of the whole tree, consistent with <see cref="Equal"/>: each node and each sequence's length, in one walk.</summary>
    public static int Hash(Instr root)
    {
        var h = new HashCode();
        var pending = new Stack<Instr>();
        pending.Push(root);
        while (pending.TryPop(out var i))
        {
            switch (i)
            {
                case Block x: h.Add(1); h.Add(x.Type); Push(x.Body); break;
                case Loop x: h.Add(2); h.Add(x.Type); Push(x.Body); break;
                case If x: h.Add(3); h.Add(x.Type); Push(x.Then); Push(x.Else); break;
                case TryTable x: h.Add(4); h.Add(x.Type); h.Add(Sequences.Hash(x.Catches)); Push(x.Body); break;
                case LegacyTry x:
                    h.Add(5); h.Add(x.Type); h.Add(x.CatchAll.HasValue);
                    Push(x.Body);
                    foreach (var c in x.Catches.OrEmpty()) { h.Add(c.Tag); Push(c.Body); }
                    if (x.CatchAll is { } all) Push(all);
                    break;
                case LegacyTryDelegate x: h.Add(6); h.Add(x.Type); h.Add(x.Label); Push(x.Body); break;
                default: h.Add(i); break;
            }
        }
        return h.ToHashCode();

        void Push(ImmutableArray<Instr> seq)
        {
            var s = seq.OrEmpty();
            h.Add(s.Length);
            for (int k = s.Length - 1; k >= 0; k--) pending.Push(s[k]);
        }
    }
}
