using System.Text;
using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// §4.4 The configuration as data: every state between two steps can be shown, outermost context first,
// in the spec's notation (FRAME_n{...} LABEL_n{...} HANDLER_n{...} val* instr*).

public sealed partial class Interpreter
{
    /// <summary>The configuration: its frames, labels and handlers from the outside in, the values, and what comes next.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int label = 0, value = 0;
        for (int f = 0; f < fsp; f++)
        {
            ref var fr = ref frames[f];
            int labelEnd = f + 1 < fsp ? frames[f + 1].LabelBase : lsp;
            int valueEnd = f + 1 < fsp ? frames[f + 1].Fp : sp;
            int locals = fr.Body.Locals.Length;
            sb.Append($"FRAME_{fr.Body.Results}{{locals: {string.Join(", ", stack.AsSpan(fr.Fp, Math.Min(locals, Math.Max(0, valueEnd - fr.Fp))).ToArray())}}} ");
            value = fr.Fp + locals;
            for (label = fr.LabelBase; label < labelEnd; label++)
            {
                ref var c = ref labels[label];
                for (; value < Math.Min(c.Height, valueEnd); value++) sb.Append(stack[value]).Append(' ');
                sb.Append(c.Kind switch
                {
                    Ctx.Label => $"LABEL_{c.Arity}{{->{c.Cont}}} ",
                    Ctx.Handler => $"HANDLER_{c.Arity}{{{string.Join(" ", ((Handler)c.Extra!).Catches)}}} ",
                    Ctx.LegacyHandler => "CATCH{legacy} ",
                    _ => $"DELEGATE{{{c.Arity}}} ",
                });
            }
            for (; value < valueEnd; value++) sb.Append(stack[value]).Append(' ');
        }
        if (fsp == 0) for (; value < sp; value++) sb.Append(stack[value]).Append(' ');
        sb.Append(pending == Admin.None
            ? fsp > 0 ? $"@{pc}: {(code[pc].I is { } i ? i.ToString() : code[pc].Op.ToString())} ..." : ""
            : PendingRedex());
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// The redex's surroundings on one line, for tracing: the innermost context's last <paramref name="max"/> values,
    /// then the administrative instruction travelling outwards, or the next <paramref name="max"/> instructions of the
    /// sequence (each written by <paramref name="show"/>; "end" closes a label, handler or frame).
    /// </summary>
    public string Current(int max, Func<Instr, string> show)
    {
        var parts = new List<string>();
        int bottom = lsp > labelBase ? labels[lsp - 1].Height : fsp > 0 ? fp + frames[fsp - 1].Body.Locals.Length : 0;
        bottom = Math.Min(bottom, sp);
        if (sp - bottom > max) parts.Add("..");
        for (int v = Math.Max(bottom, sp - max); v < sp; v++) parts.Add(stack[v].ToString());
        if (pending is not (Admin.None or Admin.Block)) parts.Add(PendingRedex());
        else if (fsp > 0)
        {
            int k = pc;
            if (pending == Admin.Block && code[pc].I is If f)
            {
                // BLOCK bt instr*: the branch that if chose, up to its end
                parts.Add(show(new Block(f.Type, [])));
                k = pendingLabel;
            }
            for (; k < code.Length && k < pc + max; k++)
                parts.Add(code[k].I is { } i ? show(i) : code[k].Op == Op.Else ? "else" : "end");
            if (k < code.Length) parts.Add("..");
        }
        return string.Join(' ', parts);
    }

    /// <summary>The administrative instructions that <see cref="pending"/> stands for, in the spec's notation.</summary>
    string PendingRedex() => pending switch
    {
        Admin.Br => $"(BR {pendingLabel})",
        Admin.Return => "RETURN",
        Admin.ThrowRef => "(REF.EXN_ADDR) THROW_REF",
        Admin.Trap => "TRAP",
        Admin.Block => $"(BLOCK @{pendingLabel} ..)",
        Admin.CallRef => "CALL_REF",
        Admin.ReturnCallRef => "RETURN_CALL_REF",
        Admin.TableGet => $"(TABLE.GET {IndirectOperands().Table}) {IndirectRest()}",
        Admin.RefCast => IndirectRest(),
        _ => "",
    };

    // What call_indirect x yy left to do after TABLE.GET: (REF.CAST (REF NULL yy)) (CALL_REF yy)
    string IndirectRest()
    {
        var type = IndirectOperands().Type;
        return $"(REF.CAST (REF NULL {type})) ({(pendingTail ? "RETURN_CALL_REF" : "CALL_REF")} {type})";
    }

    (uint Table, uint Type) IndirectOperands() => code[pc].I switch
    {
        CallIndirect c => (c.Table, c.TypeIdx),
        ReturnCallIndirect c => (c.Table, c.TypeIdx),
        _ => throw new InvalidOperationException("no call_indirect at the program counter"),
    };
}
