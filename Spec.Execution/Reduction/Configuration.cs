using System.Text;
using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// §4.4 The configuration as data: every state between two steps can be written in the spec's notation,
// outermost context first: (FRAME_n{f} (LABEL_n{instr*} val* (HANDLER_n{catch*} ...) instr*)) and the store's
// changes. Only a trace calls this: it costs nothing while the interpreter runs.

/// <summary>How a trace writes values and instructions (one notation on both sides of every step).</summary>
public interface INotation
{
    string Value(Value v);
    /// <summary>An instruction on one line; a block instruction with its whole body.</summary>
    string Instr(Instr i);
    /// <summary>A structured instruction's opening only (block, loop: as a label's continuation).</summary>
    string Head(Instr i);
}

/// <summary>A part of the store a step changed: which place, and its new value or bytes.</summary>
public sealed record StoreChange(string Place, Value? Value = null, byte[]? Bytes = null);

public sealed partial class Interpreter
{
    /// <summary>The configuration in the notation of <see cref="Text"/>'s default (for debugging and tests).</summary>
    public override string ToString() => Configuration(PlainNotation.Instance, int.MaxValue);

    /// <summary>
    /// The configuration z; instr* as the spec writes it, as tokens: the frames, labels and handlers from the outside
    /// in (each with its values, the inner context, then its remaining instructions), the redex marked. When there
    /// are more than <paramref name="max"/> tokens, the middle is elided ("…"), never the redex.
    /// </summary>
    public string Configuration(INotation n, int max)
    {
        var (tokens, redex) = ConfigurationTokens(n);
        return Elide(tokens, redex, max);
    }

    /// <summary>The tokens of the configuration and where the redex begins among them.</summary>
    public (List<string> Tokens, int Redex) ConfigurationTokens(INotation n)
    {
        var t = new List<string>();
        int redex = 0;
        if (fsp == 0)
        {
            for (int v = 0; v < sp; v++) t.Add(n.Value(stack[v]));
            redex = Math.Max(0, t.Count - (pending == Admin.CallRef ? 1 : 0));
            if (pending == Admin.CallRef) t.Add("(CALL_REF)");
            else if (pending == Admin.Trap) { redex = t.Count; t.Add("TRAP"); }
            return (t, redex);
        }
        var closers = new Stack<(string Close, Inst[] Code, int From, int To)>();
        for (int f = 0; f < fsp; f++)
        {
            ref var fr = ref frames[f];
            bool top = f == fsp - 1;
            int labelEnd = top ? lsp : frames[f + 1].LabelBase;
            int valueEnd = top ? sp : frames[f + 1].Fp;
            int locals = fr.Body.Locals.Length;
            var ls = new List<string>();
            for (int k = 0; k < locals && fr.Fp + k < valueEnd; k++) ls.Add(n.Value(stack[fr.Fp + k]));
            t.Add($"(FRAME_{fr.Body.Results}{{{string.Join(' ', ls)}}}");
            // once the frame is done, the caller's innermost context goes on after the call
            closers.Push(f == 0 ? (")", [], -1, 0) : (")", frames[f - 1].Body.Code, frames[f - 1].ReturnPc, 0));
            int value = fr.Fp + locals;
            var body = fr.Body.Code;
            for (int l = fr.LabelBase; l < labelEnd; l++)
            {
                ref var c = ref labels[l];
                for (; value < Math.Min(c.Height, valueEnd); value++) t.Add(n.Value(stack[value]));
                t.Add(c.Kind switch
                {
                    Ctx.Label when c.Cont < body.Length && body[c.Cont].Op == Op.Loop && body[c.Cont].I is { } loop =>
                        $"(LABEL_{c.Arity}{{{n.Head(loop)} …}}",
                    Ctx.Label => $"(LABEL_{c.Arity}{{}}",
                    Ctx.Handler => $"(HANDLER_{c.Arity}{{{string.Join(' ', ((Handler)c.Extra!).Catches.Skip(c.Cont).Select(CatchText))}}}",
                    Ctx.LegacyHandler => "(CATCH{…}",
                    _ => $"(DELEGATE{{{c.Arity}}}",
                });
                // what follows this context once it is done: the rest of the enclosing sequence
                int after = c.Kind == Ctx.Label && c.End >= 0 ? c.End + 1 : -1;
                closers.Push((")", body, after, body.Length));
            }
            for (; value < valueEnd; value++) t.Add(n.Value(stack[value]));
            if (top)
            {
                redex = t.Count;
                Redex(n, t);
            }
        }
        // the contexts close innermost first, each followed by what remains of the sequence around it
        while (closers.TryPop(out var closer))
        {
            var (close, seq, from, _) = closer;
            t.Add(close);
            if (from >= 0 && seq.Length > 0) Sequence(n, seq, from, t);
        }
        return (t, redex);
    }

    /// <summary>The innermost context's redex and the instructions after it.</summary>
    void Redex(INotation n, List<string> t)
    {
        switch (pending)
        {
            case Admin.None:
                if (splicedFrom is not null)
                {
                    int k = pc;
                    for (; code[k].Op != Op.Resume; k++)
                        t.Add(code[k].Op == Op.Val ? n.Value((Value)code[k].O!) : n.Instr(code[k].I!));
                    Sequence(n, splicedFrom, resumePc, t);
                }
                else Sequence(n, code, pc, t);
                break;
            case Admin.Block when code[pc].I is If f:
            {
                // BLOCK bt instr*: the branch that if chose, up to its end, then what follows the if
                var chosen = pendingLabel == pc + 1 ? f.Then : f.Else;
                t.Add(n.Instr(new Block(f.Type, chosen.IsDefault ? [] : chosen)));
                Sequence(n, code, code[pc].D + 1, t);
                break;
            }
            case Admin.Br: t.Add($"(BR {pendingLabel})"); break;
            case Admin.Return: t.Add("RETURN"); break;
            case Admin.CallRef: t.Add("(CALL_REF)"); Sequence(n, code, pc + 1, t); break;
            case Admin.ReturnCallRef: t.Add("(RETURN_CALL_REF)"); Sequence(n, code, pc + 1, t); break;
            case Admin.TableGet: t.Add($"(TABLE.GET {IndirectOperands().Table})"); IndirectRest(t, cast: true); Sequence(n, code, pc + 1, t); break;
            case Admin.RefCast: IndirectRest(t, cast: true); Sequence(n, code, pc + 1, t); break;
            case Admin.Trap:
                t.Add("TRAP");
                // what table.get-oob or ref.cast-fail left of call_indirect
                if (trapHasRest && throwAt >= 0 && code[throwAt].Op is Op.CallIndirect or Op.ReturnCallIndirect)
                    IndirectRest(t, cast: pendingTrap?.Code == TrapCode.UndefinedElement);
                if (throwAt >= 0) Sequence(n, code, throwAt + 1, t);
                break;
            default: // THROW_REF with its exception
                t.Add(n.Value(Value.Reference(pendingExn)));
                t.Add("THROW_REF");
                if (throwAt >= 0 && fsp > 0) Sequence(n, code, throwAt + 1, t);
                break;
        }
    }

    // What call_indirect x yy leaves after TABLE.GET: (REF.CAST (REF NULL yy)) (CALL_REF yy)
    void IndirectRest(List<string> t, bool cast)
    {
        var type = IndirectOperands().Type;
        if (cast) t.Add($"(REF.CAST (REF NULL {type}))");
        t.Add($"({(pendingTail ? "RETURN_CALL_REF" : "CALL_REF")} {type})");
    }

    (uint Table, uint Type) IndirectOperands() => (throwAt >= 0 && pending == Admin.Trap ? code[throwAt].I : code[pc].I) switch
    {
        CallIndirect c => (c.Table, c.TypeIdx),
        ReturnCallIndirect c => (c.Table, c.TypeIdx),
        _ => throw new InvalidOperationException("no call_indirect at the program counter"),
    };

    /// <summary>The instructions of one sequence from <paramref name="from"/> up to the marker that ends it; a block
    /// instruction as a whole.</summary>
    static void Sequence(INotation n, Inst[] code, int from, List<string> t)
    {
        for (int k = from; k >= 0 && k < code.Length;)
        {
            ref readonly var i = ref code[k];
            if (i.Op is Op.End or Op.Else or Op.HandlerEnd or Op.FrameEnd or Op.Resume) return;
            t.Add(i.Op == Op.Val ? n.Value((Value)i.O!) : n.Instr(i.I!));
            k = i.Op switch
            {
                Op.Block or Op.Loop => (int)i.C + 1,
                Op.If => i.D + 1,
                Op.TryTable => (int)i.C + 2,
                Op.LegacyTryDelegate => (int)i.C + 1,
                Op.LegacyTry => code[(int)i.C].A,
                _ => k + 1,
            };
        }
    }

    static string CatchText(Catch c) => c switch
    {
        CatchTag x => $"(CATCH {x.Tag} {x.Label})",
        CatchTagRef x => $"(CATCH_REF {x.Tag} {x.Label})",
        CatchAll x => $"(CATCH_ALL {x.Label})",
        CatchAllRef x => $"(CATCH_ALL_REF {x.Label})",
        _ => c.ToString(),
    };

    /// <summary>At most <paramref name="max"/> tokens: the first few, then "…", then those around the redex, then "…".</summary>
    static string Elide(List<string> t, int redex, int max)
    {
        if (t.Count <= max) return Join(t);
        int head = Math.Max(1, max / 4), before = max / 4, after = max - head - before;
        var shown = new List<string>();
        int from = Math.Max(head, redex - before), to = Math.Min(t.Count, redex + after);
        shown.AddRange(t.Take(Math.Min(head, t.Count)));
        if (from > head) shown.Add("…");
        for (int k = from; k < to; k++) shown.Add(t[k]);
        if (to < t.Count) shown.Add("…");
        return Join(shown);
    }

    // a context's closing parenthesis joins what it closes
    static string Join(List<string> t) => string.Join(' ', t).Replace(" )", ")");

    /// <summary>The notation of the syntax records' own ToString, for debugging.</summary>
    sealed class PlainNotation : INotation
    {
        public static readonly PlainNotation Instance = new();
        public string Value(Value v) => v.ToString();
        public string Instr(Instr i) => i switch
        {
            Block b => $"BLOCK({string.Join(' ', b.Body.Select(Instr))})",
            Const c => $"Const {c.Bits}",
            _ => i.GetType().Name,
        };
        public string Head(Instr i) => i.GetType().Name;
    }

    /// <summary>What the last <see cref="Step"/> changed in the store.</summary>
    public IReadOnlyList<StoreChange> Changes => changes;
    readonly List<StoreChange> changes = [];

    /// <summary>Whether steps record their store changes: only when taken one at a time by <see cref="Step"/>.</summary>
    bool recordChanges;
}
