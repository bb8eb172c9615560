using Spec.Syntax;

namespace Spec.Validation;

// §3.4.3 Parametric instructions (spectec 2.3, "Parametric instructions"). Nop and unreachable are one-liners in Instr_ok.

internal sealed partial class Checker
{
    // Instr_ok/drop: t -> eps
    void Drop_ok()
    {
        Rule("Instr_ok/drop");
        Pop();
    }

    void Select_ok(Select i)
    {
        if (i.Types is { } ts)
        {
            // Instr_ok/select-expl: t t i32 -> t
            Rule("Instr_ok/select-expl");
            if (ts.Length != 1) Fail("invalid result arity");
            var t = TypeRules.Valtype_ok(C, ts[0]);
            Pop(ValType.I32);
            Pop(t);
            Pop(t);
            Push(t);
            return;
        }
        // Instr_ok/select-impl: t t i32 -> t, with t a number or vector type
        Rule("Instr_ok/select-impl");
        Pop(ValType.I32);
        var t1 = Pop();
        var t2 = Pop();
        if (t1 is RefType || t2 is RefType) Fail("type mismatch: select without type requires numeric or vector operands");
        if (t1 is not BotValType && t2 is not BotValType && !t1.Equals(t2)) Fail($"type mismatch: select operands {t2} and {t1} differ");
        Push(t1 is BotValType ? t2 : t1);
    }
}
