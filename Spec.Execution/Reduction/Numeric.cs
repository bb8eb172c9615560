using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// §4.4.1 Numeric instructions (spectec 4.3-execution.instructions, "Numeric instructions"):
// each applies the operator of 3.1-numerics.scalar; a partial operator's missing result traps.

public sealed partial class Interpreter
{
    string StepUnop(in Inst i)
    {
        ref var top = ref stack[sp - 1];
        var t = (NumType)i.A;
        top = Value.Num(t, Numerics.unop(t, (UnOp)i.B, top.Bits));
        pc++;
        return "Step_pure/unop-val";
    }

    string StepBinop(in Inst i)
    {
        var c2 = stack[--sp].Bits;
        ref var top = ref stack[sp - 1];
        var t = (NumType)i.A;
        var r = Numerics.binop(t, (BinOp)i.B, top.Bits, c2);
        if (r is not { } c) { sp--; throw Trap(Numerics.TrapOfBinop(c2), "Step_pure/binop-trap"); }
        top = Value.Num(t, c);
        pc++;
        return "Step_pure/binop-val";
    }

    string StepTestop(in Inst i)
    {
        ref var top = ref stack[sp - 1];
        top = Value.I32(Numerics.testop((NumType)i.A, (TestOp)i.B, top.Bits));
        pc++;
        return "Step_pure/testop";
    }

    string StepRelop(in Inst i)
    {
        var c2 = stack[--sp].Bits;
        ref var top = ref stack[sp - 1];
        top = Value.I32(Numerics.relop((NumType)i.A, (RelOp)i.B, top.Bits, c2));
        pc++;
        return "Step_pure/relop";
    }

    string StepCvtop(in Inst i)
    {
        ref var top = ref stack[sp - 1];
        NumType to = (NumType)i.A, from = (NumType)i.B;
        var r = Numerics.cvtop(from, to, (CvtOp)i.C, top.Bits);
        if (r is not { } c) { sp--; throw Trap(Numerics.TrapOfCvtop(from, top.Bits), "Step_pure/cvtop-trap"); }
        top = Value.Num(to, c);
        pc++;
        return "Step_pure/cvtop-val";
    }

    // Step_pure/wide-arith: the wide-arithmetic proposal (no SpecTec rule here); pops 4 or 2 i64, pushes lo then hi.
    string StepWideArith(in Inst i)
    {
        var op = (WideOp)i.A;
        (ulong Lo, ulong Hi) r;
        if (op is WideOp.Add128 or WideOp.Sub128)
        {
            ulong hi2 = stack[--sp].Bits, lo2 = stack[--sp].Bits, hi1 = stack[--sp].Bits, lo1 = stack[--sp].Bits;
            r = op == WideOp.Add128 ? Numerics.i64_add128(lo1, hi1, lo2, hi2) : Numerics.i64_sub128(lo1, hi1, lo2, hi2);
        }
        else
        {
            ulong c2 = stack[--sp].Bits, c1 = stack[--sp].Bits;
            r = op == WideOp.MulWideS ? Numerics.i64_mul_wide_s(c1, c2) : Numerics.i64_mul_wide_u(c1, c2);
        }
        stack[sp++] = Value.I64(r.Lo);
        stack[sp++] = Value.I64(r.Hi);
        pc++;
        return "Step_pure/wide-arith";
    }
}
