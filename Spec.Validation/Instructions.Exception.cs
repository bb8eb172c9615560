using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Validation;

// §3.4.8 Exception instructions (spectec 2.3, "Exception instructions"), and the legacy try/catch/delegate/rethrow
// of the testsuite's legacy/ directory, typed as the legacy exception-handling proposal does.

internal sealed partial class Checker
{
    static readonly ImmutableArray<ValType> ExnRefs = [new RefType(false, HeapType.Exn)];

    /// <summary>Expand: $as_deftype(C.TAGS[x]) ~~ FUNC t* -> eps.</summary>
    ImmutableArray<ValType> TagParams(uint x) => ((FuncType)TypeRules.Expand(C.Tag(x))).Params;

    // Instr_ok/throw: t_1* t* -> t_2*
    void Throw_ok(Throw i)
    {
        Rule("Instr_ok/throw");
        PopVals(TagParams(i.Tag));
        SetUnreachable();
    }

    // Instr_ok/throw_ref: t_1* (ref null exn) -> t_2*
    void ThrowRef_ok()
    {
        Rule("Instr_ok/throw_ref");
        Pop(RefType.ExnRef);
        SetUnreachable();
    }

    // Instr_ok/try_table: t_1* -> t_2*, each catch clause checked against the labels outside the block
    void TryTable_ok(TryTable i)
    {
        Rule("Instr_ok/try_table");
        var (start, end) = Blocktype_ok(i.Type);
        foreach (var c in i.Catches.OrEmpty()) Catch_ok(c);
        Rule("Instr_ok/try_table");
        PopVals(start);
        PushCtrl(CtrlKind.TryTable, start, end, i.Body.OrEmpty(), i);
    }

    // Catch_ok/catch, Catch_ok/catch_ref, Catch_ok/catch_all, Catch_ok/catch_all_ref: what the handler passes must match the label.
    void Catch_ok(Catch c)
    {
        var (rule, ts) = c switch
        {
            CatchTag k => ("Catch_ok/catch", TagParams(k.Tag)),
            CatchTagRef k => ("Catch_ok/catch_ref", TagParams(k.Tag).AddRange(ExnRefs)),
            CatchAllRef => ("Catch_ok/catch_all_ref", ExnRefs),
            _ => ("Catch_ok/catch_all", None),
        };
        Rule(rule);
        var label = Label(c.Label).LabelTypes;
        if (!Subtyping.Resulttype_sub(ts, label))
            Fail($"type mismatch: catch passes [{string.Join(" ", ts)}] but label has [{string.Join(" ", label)}]");
    }

    // Legacy try: the body and each handler are blocks of the same type; a catch handler starts with the tag's values.
    void LegacyTry_ok(LegacyTry i)
    {
        Rule("Instr_ok/try");
        var (start, end) = Blocktype_ok(i.Type);
        PopVals(start);
        PushCtrl(CtrlKind.LegacyTry, start, end, i.Body.OrEmpty(), i);
    }

    /// <summary>At the end of a legacy try body or handler: begins the next handler, if there is one.</summary>
    bool LegacyNextHandler(Ctrl f)
    {
        var t = (LegacyTry)f.Source!;
        var k = f.Next;
        var catches = t.Catches.OrEmpty();
        if (k < catches.Length)
        {
            Rule("Instr_ok/catch");
            PushCtrl(CtrlKind.LegacyCatch, TagParams(catches[k].Tag), f.End, catches[k].Body.OrEmpty(), t);
            ctrls[^1].Next = k + 1;
            return true;
        }
        if (k == catches.Length && t.CatchAll is { } all)
        {
            Rule("Instr_ok/catch_all");
            PushCtrl(CtrlKind.LegacyCatchAll, None, f.End, all.OrEmpty(), t);
            ctrls[^1].Next = k + 1;
            return true;
        }
        return false;
    }

    // Legacy try ... delegate l: the body is a block; l names a label outside it.
    void LegacyTryDelegate_ok(LegacyTryDelegate i)
    {
        Rule("Instr_ok/try_delegate");
        var (start, end) = Blocktype_ok(i.Type);
        PopVals(start);
        PushCtrl(CtrlKind.LegacyDelegate, start, end, i.Body.OrEmpty(), i);
    }

    // Legacy rethrow l: l names an enclosing catch or catch_all handler.
    void LegacyRethrow_ok(LegacyRethrow i)
    {
        Rule("Instr_ok/rethrow");
        var f = Label(i.Label);
        if (f.Kind is not (CtrlKind.LegacyCatch or CtrlKind.LegacyCatchAll)) Fail("invalid rethrow label");
        SetUnreachable();
    }
}
