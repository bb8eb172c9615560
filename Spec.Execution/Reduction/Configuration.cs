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
    public string Configuration(INotation n, int max) => Elided(ConfigurationTokens(n), max);

    /// <summary>A configuration's tokens (<see cref="ConfigurationTokens"/>) as text of at most <paramref name="max"/> tokens.</summary>
    public static string Elided((List<string> Tokens, int Redex) configuration, int max) => Elide(configuration.Tokens, configuration.Redex, max);

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
        // Deep configurations show their innermost frames and labels only: a step's cost stays bounded however deep.
        int firstFrame = Math.Max(0, fsp - MaxFrames);
        if (firstFrame > 0) t.Add("…");
        for (int f = firstFrame; f < fsp; f++)
        {
            ref var fr = ref frames[f];
            bool top = f == fsp - 1;
            int labelEnd = top ? lsp : frames[f + 1].LabelBase;
            int valueEnd = top ? sp : frames[f + 1].Fp;
            int locals = fr.Body.Locals.Length;
            // the configuration's own frame is no FRAME_ instruction: its instructions stand at the top level
            if (!IsConfigurationFrame(fr))
            {
                var ls = new List<string>();
                for (int k = 0; k < locals && fr.Fp + k < valueEnd; k++) ls.Add(n.Value(stack[fr.Fp + k]));
                t.Add($"(FRAME_{fr.Body.Results}{{{string.Join(' ', ls)}}}");
                // once the frame is done, the caller's innermost context goes on after the call
                closers.Push(f == firstFrame ? (")", [], -1, 0) : (")", frames[f - 1].Body.Code, frames[f - 1].ReturnPc, 0));
            }
            int value = fr.Fp + locals;
            var body = fr.Body.Code;
            int firstLabel = Math.Max(fr.LabelBase, labelEnd - MaxLabels);
            if (firstLabel > fr.LabelBase) { t.Add("…"); value = Math.Min(labels[firstLabel].Height, valueEnd); }
            for (int l = firstLabel; l < labelEnd; l++)
            {
                ref var c = ref labels[l];
                Values(n, value, Math.Min(c.Height, valueEnd), t);
                value = Math.Max(value, Math.Min(c.Height, valueEnd));
                t.Add(c.Kind switch
                {
                    Ctx.Label when c.Cont < body.Length && body[c.Cont].Op == Op.Loop && body[c.Cont].I is { } loop =>
                        $"(LABEL_{c.Arity}{{{n.Head(loop)} …}}",
                    Ctx.Label => $"(LABEL_{c.Arity}{{}}",
                    Ctx.Handler => $"(HANDLER_{c.Arity}{{{string.Join(' ', ((Handler)c.Extra!).Catches.Skip(c.Cont).Select(CatchText))}}}",
                    Ctx.LegacyHandler => LegacyCatchText(n, body, c),
                    _ => $"(DELEGATE{{{c.Arity}}}",
                });
                // what follows this context once it is done: the rest of the enclosing sequence
                closers.Push((")", body, After(c), body.Length));
                // a legacy catch clause runs inside caught_m{a val^n}, which holds the exception for rethrow
                if (c.Kind == Ctx.Label && c.Extra is ExnInst caught)
                {
                    t.Add($"(CAUGHT_{c.Arity}{{{TagAddress(caught.Tag)}{string.Concat(caught.Fields.Select(v => " " + n.Value(v)))}}}");
                    closers.Push((")", body, -1, body.Length));
                }
            }
            Values(n, value, valueEnd, t);
            value = Math.Max(value, valueEnd);
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

    /// <summary>How many frames, labels per frame, values per context and instructions per sequence a configuration shows.</summary>
    const int MaxFrames = 8, MaxLabels = 16, MaxValues = 24, MaxInstrs = 24;

    /// <summary>The values stack[from..to), the last <see cref="MaxValues"/> of them.</summary>
    void Values(INotation n, int from, int to, List<string> t)
    {
        if (to - from > MaxValues) { t.Add("…"); from = to - MaxValues; }
        for (int v = from; v < to; v++) t.Add(n.Value(stack[v]));
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
            // BR l and RETURN with the rest of the sequence they stand in, as the left-hand sides of br-label-succ and return-label have it
            case Admin.Br: t.Add($"(BR {pendingLabel})"); if (travelRest >= 0) Sequence(n, code, travelRest, t); break;
            case Admin.Return: t.Add("RETURN"); if (travelRest >= 0) Sequence(n, code, travelRest, t); break;
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
        int shown = 0;
        for (int k = from; k >= 0 && k < code.Length;)
        {
            ref readonly var i = ref code[k];
            if (++shown > MaxInstrs) { t.Add("…"); return; }
            if (i.Op is Op.End or Op.Else or Op.HandlerEnd or Op.FrameEnd or Op.Finish or Op.Resume) return;
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

    /// <summary>Where the instructions after context <paramref name="c"/> begin in its code; -1 for the legacy contexts, whose
    /// label holds what follows.</summary>
    static int After(in Context c) => c.Kind is Ctx.Label or Ctx.Handler && c.End >= 0 ? c.End + 1 : -1;

    /// <summary>
    /// A legacy try's handler in the notation of the legacy exception-handling proposal's formal overview, whose
    /// administrative instruction is catch_m{a? instr*}* (one brace per clause, a tag address and the clause's body,
    /// no address for catch_all); SpecTec has no legacy rules, so its spelling is taken upper-cased as the trace's other
    /// administrative forms are: (CATCH_1{0 (i32.const 1)}{(i32.const 2)}.
    /// </summary>
    string LegacyCatchText(INotation n, Inst[] body, in Context c)
    {
        var clauses = new StringBuilder();
        foreach (var (tag, start) in ((LegacyCatches)c.Extra!).Clauses)
        {
            var instrs = new List<string>();
            Sequence(n, body, start, instrs);
            var tagText = tag is null ? "" : TagAddress(tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
            clauses.Append('{').Append(string.Join(' ', instrs.Prepend(tagText).Where(s => s.Length > 0))).Append('}');
        }
        return $"(CATCH_{c.Arity}{clauses}";
    }

    int TagAddress(TagInst tag)
    {
        for (int k = 0; k < store.tags.Count; k++) if (ReferenceEquals(store.tags[k], tag)) return k;
        return -1;
    }

    /// <summary>
    /// Where the redex stands in the program: the function and the position (<see cref="InstrPositions"/>) of the
    /// instruction it is, or that the administrative instruction came from; null while it is none of the program's (the
    /// invocation, the end of a block, a constant expression, the results).
    /// </summary>
    public (FuncInst Func, int Position)? RedexSource()
    {
        if (fsp == 0) return null;
        ref var fr = ref frames[fsp - 1];
        if (fr.Func is not { } f || !ReferenceEquals(code, fr.Body.Code) && splicedFrom is null) return null;
        var body = splicedFrom ?? code;
        int at = pending switch
        {
            Admin.None when splicedFrom is not null => resumePc - 1,
            Admin.None => FirstAfterConstants(pc),
            Admin.Trap or Admin.ThrowRef => throwAt,
            Admin.Br or Admin.Return => travelFrom,
            _ => pc,
        };
        if (at < 0 || at >= body.Length || body[at].I is null) return null;
        return (f, PositionsOf(body)[at]);
    }

    /// <summary>Each flat instruction's position: the source instructions before it (markers are none), counted once a body.</summary>
    int[] PositionsOf(Inst[] body) => positions.GetValue(body, b =>
    {
        var p = new int[b.Length];
        for (int k = 0, n = 0; k < b.Length; k++) { p[k] = n; if (b[k].I is not null) n++; }
        return p;
    });
    readonly System.Runtime.CompilerServices.ConditionalWeakTable<Inst[], int[]> positions = new();

    // constants are values, not redexes: the redex is the instruction after them
    int FirstAfterConstants(int k)
    {
        while (k < code.Length && code[k].Op is Op.Const or Op.VConst) k++;
        return k;
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
