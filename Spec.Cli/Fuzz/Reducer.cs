using System.Collections.Immutable;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.Validation;

namespace Spec.Cli.Fuzz;

/// <summary>
/// Shrinks a job whose run diverges while the same divergence (same kind, same export called with the same arguments)
/// persists: calls other than the diverging one dropped, exports dropped, element segments emptied and functions
/// nothing refers to removed, whole function bodies replaced by unreachable, sequences cut short by unreachable, runs
/// of instructions deleted, blocks replaced by their bodies, constants made 0, data emptied. Every
/// candidate must validate (under the run's features) before it runs. Candidates run in batches of
/// <paramref name="batch"/> (an engine in another process starts once per batch), and the first of a batch that still
/// diverges is taken; <paramref name="diverges"/> runs a batch on both engines.
/// </summary>
internal sealed class Reducer(Features features, Func<IReadOnlyList<Job>, IReadOnlyList<Divergence?>> diverges, int budget = 600, int batch = 1)
{
    /// <summary>Candidates run so far, and validated (most candidates are invalid, and cheap to reject).</summary>
    int tries, validations;

    /// <summary>How many candidates were run.</summary>
    public int Runs => tries;

    /// <summary>The smallest job found that still shows <paramref name="d"/> (the job itself if nothing smaller does).</summary>
    public Job Reduce(Job job, Divergence d)
    {
        var target = d.Call is { } c ? job.Plan[c] : null;
        bool Same(Job candidate, Divergence? again) =>
            again is not null && again.Kind == d.Kind
            && (target is null ? again.Call is null : again.Call is { } k && candidate.Plan[k].Export == target.Export && candidate.Plan[k].Args.SequenceEqual(target.Args)
                && (target.Probe is null || candidate.Plan[k].Probe?.Op == target.Probe.Op));
        bool Valid(Job candidate)
        {
            if (validations++ >= 50 * budget) return false;
            try { Validator.Validate(candidate.Module, features); return true; }
            catch (ValidationException) { return false; }
        }

        var best = job;
        // Runs the edits in order on the best job so far, a batch at a time; after a success, resumes after it.
        bool Pass(IReadOnlyList<Func<Job, Job?>> edits)
        {
            bool progress = false;
            for (int at = 0; at < edits.Count && tries < budget;)
            {
                var candidates = new List<(int Edit, Job Job)>();
                for (; at < edits.Count && candidates.Count < batch && validations < 50 * budget; at++)
                    if (edits[at](best) is { } candidate && Valid(candidate)) candidates.Add((at, candidate));
                if (candidates.Count == 0) break;
                tries += candidates.Count;
                var results = diverges([.. candidates.Select(x => x.Job)]);
                int hit = Enumerable.Range(0, candidates.Count).FirstOrDefault(i => Same(candidates[i].Job, results[i]), -1);
                if (hit < 0) continue;
                best = candidates[hit].Job;
                at = candidates[hit].Edit + 1;
                progress = true;
            }
            return progress;
        }

        for (bool progress = true; progress && tries < budget;)
        {
            progress = false;
            // Calls: all but the diverging one, from the end.
            progress |= Pass([.. Enumerable.Range(0, best.Plan.Length).Reverse().Select(k => (Func<Job, Job?>)(j =>
                k < j.Plan.Length && !ReferenceEquals(j.Plan[k], target) && j.Plan.Length > 1 ? j with { Plan = j.Plan.RemoveAt(k) } : null))]);
            // Exports no call needs (the memory stays: the comparison reads it).
            progress |= Pass([.. Enumerable.Range(0, best.Module.Exports.Length).Reverse().Select(k => (Func<Job, Job?>)(j =>
                k < j.Module.Exports.Length && j.Module.Exports[k] is { Index.Kind: ExternKind.Func } e && !j.Plan.Any(p => p.Export == e.Name)
                    ? With(j, j.Module with { Exports = j.Module.Exports.RemoveAt(k) }) : null))]);
            // Whole bodies: unreachable, no locals.
            progress |= Pass([.. Enumerable.Range(0, best.Module.Funcs.Length).Select(f => (Func<Job, Job?>)(j =>
                j.Module.Funcs[f].Body.Instrs is [Unreachable] ? null
                    : With(j, j.Module with { Funcs = j.Module.Funcs.SetItem(f, j.Module.Funcs[f] with { Locals = [], Body = new Expr([Unreachable.I]) }) })))]);
            // Element segments emptied, then functions nothing refers to removed (the later ones renumbered).
            progress |= Pass([.. Enumerable.Range(0, best.Module.Elems.Length).Select(k => (Func<Job, Job?>)(j =>
                j.Module.Elems[k].Inits.IsEmpty ? null : With(j, j.Module with { Elems = j.Module.Elems.SetItem(k, j.Module.Elems[k] with { Inits = [] }) })))]);
            progress |= Pass([.. Enumerable.Range(0, best.Module.Funcs.Length).Reverse().Select(f => (Func<Job, Job?>)(j =>
                f < j.Module.Funcs.Length && WithoutFunc(j.Module, (uint)f) is { } m ? With(j, m) : null))]);
            // Instructions, function by function.
            for (int f = 0; f < best.Module.Funcs.Length && tries < budget; f++)
            {
                int func = f;
                progress |= Pass([.. Edits(best.Module.Funcs[f].Body.Instrs).Select(edit => (Func<Job, Job?>)(j =>
                    edit(j.Module.Funcs[func].Body.Instrs) is { } b && !b.SequenceEqual(j.Module.Funcs[func].Body.Instrs)
                        ? With(j, j.Module with { Funcs = j.Module.Funcs.SetItem(func, j.Module.Funcs[func] with { Body = new Expr(b) }) }) : null))]);
            }
            // Data emptied.
            progress |= Pass([.. Enumerable.Range(0, best.Module.Datas.Length).Select(k => (Func<Job, Job?>)(j =>
                j.Module.Datas[k].Init.IsEmpty ? null : With(j, j.Module with { Datas = j.Module.Datas.SetItem(k, j.Module.Datas[k] with { Init = [] }) })))]);
        }
        return best;
    }

    /// <summary>The job with module <paramref name="m"/>; a probe's operands are read again from its body, which edits change.</summary>
    static Job With(Job j, Module m) => j with
    {
        Module = m, Binary = Binary.Encode(m),
        Plan = [.. j.Plan.Select(p => p.Probe is null ? p : p with { Probe = ProbeOf(m, p.Export) })],
    };

    /// <summary>The edits to try on a body, largest first; each maps the current body to a candidate (or null when it
    /// no longer applies). Edits address sequences by their pre-order number, so they apply to the body as it is then.</summary>
    static IEnumerable<Func<ImmutableArray<Instr>, ImmutableArray<Instr>?>> Edits(ImmutableArray<Instr> body)
    {
        int sequences = Sequences(body).Count();
        for (int s = 0; s < sequences; s++)
        {
            int seq = s;
            int length = Sequences(body).ElementAtOrDefault(seq).Length;
            // Cut the sequence short: what comes after instruction i becomes unreachable (valid whatever the stack).
            for (int at = 0; at < length; at++)
            {
                int cut = at;
                yield return b => Rewrite(b, seq, xs => cut < xs.Length && xs[^1] is not Unreachable ? [.. xs.Take(cut), Unreachable.I] : null);
            }
            // Delete runs of instructions: halves, quarters, ... single ones; from the end, so indices stay valid.
            for (int size = Math.Max(1, length / 2); size >= 1; size /= 2)
            {
                for (int at = length - size; at >= 0; at -= size)
                {
                    var (from, n) = (at, size);
                    yield return b => Rewrite(b, seq, xs => from + n <= xs.Length ? xs.RemoveRange(from, n) : null);
                }
                if (size == 1) break;
            }
            // Replace one instruction by something simpler: a block by its body, a constant by 0 or 1.
            for (int at = length - 1; at >= 0; at--)
            {
                int i = at;
                yield return b => Rewrite(b, seq, xs => i < xs.Length && Simpler(xs[i]) is { } r ? xs.RemoveAt(i).InsertRange(i, r) : null);
            }
        }
    }

    /// <summary>The module without function <paramref name="f"/>, if nothing refers to it (no call, ref.func, element,
    /// export or start); later functions' indices move down by one.</summary>
    static Module? WithoutFunc(Module m, uint f)
    {
        bool refers = false;
        uint Map(uint x)
        {
            if (x == f) refers = true;
            return x > f ? x - 1 : x;
        }
        ImmutableArray<Instr> Renumber(ImmutableArray<Instr> code) => [.. code.Select(i => i switch
        {
            Call c => c with { Func = Map(c.Func) },
            ReturnCall c => c with { Func = Map(c.Func) },
            RefFunc r => r with { Func = Map(r.Func) },
            Block b => b with { Body = Renumber(b.Body) },
            Loop l => l with { Body = Renumber(l.Body) },
            If c => c with { Then = Renumber(c.Then), Else = Renumber(c.Else) },
            TryTable t => t with { Body = Renumber(t.Body) },
            _ => i,
        })];
        Expr Of(Expr e) => new(Renumber(e.Instrs));
        var result = m with
        {
            Funcs = [.. m.Funcs.Where((_, k) => k != f).Select(g => g with { Body = Of(g.Body) })],
            Globals = [.. m.Globals.Select(g => g with { Init = Of(g.Init) })],
            Tables = [.. m.Tables.Select(t => t with { Init = Of(t.Init) })],
            Elems = [.. m.Elems.Select(e => e with { Inits = [.. e.Inits.Select(Of)] })],
            Exports = [.. m.Exports.Select(e => e.Index.Kind == ExternKind.Func ? e with { Index = e.Index with { Index = Map(e.Index.Index) } } : e)],
            Start = m.Start is { } s ? new Start(Map(s.Func)) : null,
        };
        // Imported functions come first in the index space: the generator imports none.
        return refers || m.ImportsOf(ExternKind.Func).Any() ? null : result;
    }

    static RelaxedProbe? ProbeOf(Module m, string export) =>
        m.Exports.FirstOrDefault(e => e.Name == export) is { Index.Kind: ExternKind.Func } e ? RelaxedProbe.Of(m.Funcs[(int)e.Index.Index]) : null;

    static ImmutableArray<Instr>? Simpler(Instr i) => i switch
    {
        Block b => b.Body,
        Loop l => l.Body,
        If f => [Drop.I, .. f.Then],
        TryTable t => t.Body,
        Const { Bits: not 0 } c => [c with { Bits = 0 }],
        VConst { Value: var v } when v != V128.Zero => [new VConst(V128.Zero)],
        _ => null,
    };

    /// <summary>Every instruction sequence in a body, in pre-order: the body, then each nested block's.</summary>
    static IEnumerable<ImmutableArray<Instr>> Sequences(ImmutableArray<Instr> code)
    {
        yield return code;
        foreach (var i in code)
            foreach (var inner in Children(i))
                foreach (var s in Sequences(inner)) yield return s;
    }

    static IEnumerable<ImmutableArray<Instr>> Children(Instr i) => i switch
    {
        Block b => [b.Body],
        Loop l => [l.Body],
        If f => [f.Then, f.Else],
        TryTable t => [t.Body],
        _ => [],
    };

    /// <summary>The body with sequence number <paramref name="target"/> (pre-order) replaced by <paramref name="edit"/>'s
    /// result; null if the edit does not apply.</summary>
    static ImmutableArray<Instr>? Rewrite(ImmutableArray<Instr> code, int target, Func<ImmutableArray<Instr>, ImmutableArray<Instr>?> edit)
    {
        int counter = 0;
        bool applied = false;
        var result = Walk(code);
        return applied ? result : null;

        ImmutableArray<Instr> Walk(ImmutableArray<Instr> seq)
        {
            if (counter++ == target)
            {
                if (edit(seq) is not { } e) return seq;
                applied = true;
                return e;
            }
            var builder = ImmutableArray.CreateBuilder<Instr>(seq.Length);
            foreach (var i in seq)
                builder.Add(i switch
                {
                    Block b => b with { Body = Walk(b.Body) },
                    Loop l => l with { Body = Walk(l.Body) },
                    If f => f with { Then = Walk(f.Then), Else = Walk(f.Else) },
                    TryTable t => t with { Body = Walk(t.Body) },
                    _ => i,
                });
            return builder.MoveToImmutable();
        }
    }
}
