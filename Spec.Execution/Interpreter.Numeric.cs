using Spec.Syntax;
using static Spec.Execution.Compiled;

namespace Spec.Execution;

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
        if (r is not { } c) throw Trap(Numerics.TrapMessageBinop(c2), "Step_pure/binop-trap");
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
        if (r is not { } c) throw Trap(Numerics.TrapMessageCvtop(from, top.Bits), "Step_pure/cvtop-trap");
        top = Value.Num(to, c);
        pc++;
        return "Step_pure/cvtop-val";
    }
}
