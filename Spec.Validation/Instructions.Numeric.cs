using Spec.Syntax;

namespace Spec.Validation;

// §3.4.1 Numeric instructions (spectec 2.3, "Numeric instructions").

internal sealed partial class Checker
{
    // Instr_ok/const: eps -> nt
    void Const_ok(Const i)
    {
        Rule("Instr_ok/const");
        Push(ValType.Num(i.Type));
    }

    // Instr_ok/unop: nt -> nt
    void Unop_ok(Unop i)
    {
        Rule("Instr_ok/unop");
        var ok = IsInt(i.Type)
            ? i.Op is UnOp.Clz or UnOp.Ctz or UnOp.Popcnt or UnOp.Extend8S or UnOp.Extend16S || (i.Op == UnOp.Extend32S && i.Type == NumType.I64)
            : i.Op is UnOp.Abs or UnOp.Neg or UnOp.Sqrt or UnOp.Ceil or UnOp.Floor or UnOp.Trunc or UnOp.Nearest;
        if (!ok)
            Fail($"invalid operator {i.Op} for {i.Type}");
        var t = ValType.Num(i.Type);
        Pop(t);
        Push(t);
    }

    // Instr_ok/binop: nt nt -> nt
    void Binop_ok(Binop i)
    {
        Rule("Instr_ok/binop");
        var ok = IsInt(i.Type)
            ? i.Op is not (BinOp.Div or BinOp.Min or BinOp.Max or BinOp.Copysign)
            : i.Op is BinOp.Add or BinOp.Sub or BinOp.Mul or BinOp.Div or BinOp.Min or BinOp.Max or BinOp.Copysign;
        if (!ok)
            Fail($"invalid operator {i.Op} for {i.Type}");
        var t = ValType.Num(i.Type);
        Pop(t);
        Pop(t);
        Push(t);
    }

    // Instr_ok/testop: nt -> i32
    void Testop_ok(Testop i)
    {
        Rule("Instr_ok/testop");
        if (!IsInt(i.Type)) Fail($"invalid operator {i.Op} for {i.Type}");
        Pop(ValType.Num(i.Type));
        Push(ValType.I32);
    }

    // Instr_ok/relop: nt nt -> i32
    void Relop_ok(Relop i)
    {
        Rule("Instr_ok/relop");
        var ok = IsInt(i.Type)
            ? i.Op is not (RelOp.Lt or RelOp.Gt or RelOp.Le or RelOp.Ge)
            : i.Op is RelOp.Eq or RelOp.Ne or RelOp.Lt or RelOp.Gt or RelOp.Le or RelOp.Ge;
        if (!ok) Fail($"invalid operator {i.Op} for {i.Type}");
        var t = ValType.Num(i.Type);
        Pop(t);
        Pop(t);
        Push(ValType.I32);
    }

    // Instr_ok/cvtop: nt_2 -> nt_1, for the operators defined between the two types
    void Cvtop_ok(Cvtop i)
    {
        Rule("Instr_ok/cvtop");
        var (to, from) = (i.To, i.From);
        var ok = i.Op switch
        {
            CvtOp.ExtendS or CvtOp.ExtendU => to == NumType.I64 && from == NumType.I32,
            CvtOp.Wrap => to == NumType.I32 && from == NumType.I64,
            CvtOp.ConvertS or CvtOp.ConvertU => !IsInt(to) && IsInt(from),
            CvtOp.TruncS or CvtOp.TruncU or CvtOp.TruncSatS or CvtOp.TruncSatU => IsInt(to) && !IsInt(from),
            CvtOp.Promote => to == NumType.F64 && from == NumType.F32,
            CvtOp.Demote => to == NumType.F32 && from == NumType.F64,
            CvtOp.Reinterpret => IsInt(to) != IsInt(from) && Size(to) == Size(from),
            _ => false,
        };
        if (!ok) Fail($"invalid conversion {i.Op} from {from} to {to}");
        Pop(ValType.Num(from));
        Push(ValType.Num(to));
    }

    // Instr_ok/wide-arith: i64^4 -> i64 i64 (add128, sub128), i64 i64 -> i64 i64 (mul_wide_sx).
    // The wide-arithmetic proposal has no SpecTec rule here; the name follows the spec's convention.
    void WideArith_ok(WideArith i)
    {
        Rule("Instr_ok/wide-arith");
        int arity = i.Op is WideOp.Add128 or WideOp.Sub128 ? 4 : 2;
        for (int k = 0; k < arity; k++) Pop(ValType.I64);
        Push(ValType.I64);
        Push(ValType.I64);
    }

    static bool IsInt(NumType t) => t is NumType.I32 or NumType.I64;

    /// <summary>$size(nt) in bits.</summary>
    static int Size(NumType t) => t is NumType.I32 or NumType.F32 ? 32 : 64;
}
