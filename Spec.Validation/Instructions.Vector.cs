using Spec.Syntax;

namespace Spec.Validation;

// §3.4.2 Vector instructions (spectec 2.3, "Vector instructions"); vector memory instructions are in Instructions.Memory.cs.

internal sealed partial class Checker
{
    void Vector(Instr instr)
    {
        var v = ValType.V128;
        switch (instr)
        {
            case VConst: Rule("Instr_ok/vconst"); Push(v); break;                                        // eps -> v128
            case VVUnop: Rule("Instr_ok/vvunop"); Pop(v); Push(v); break;                                 // v128 -> v128
            case VVBinop: Rule("Instr_ok/vvbinop"); Pop(v); Pop(v); Push(v); break;                       // v128 v128 -> v128
            case VVTernop: Rule("Instr_ok/vvternop"); Pop(v); Pop(v); Pop(v); Push(v); break;             // v128 v128 v128 -> v128
            case VVTestop: Rule("Instr_ok/vvtestop"); Pop(v); Push(ValType.I32); break;                   // v128 -> i32
            case VUnop: Rule("Instr_ok/vunop"); Pop(v); Push(v); break;
            case VBinop: Rule("Instr_ok/vbinop"); Pop(v); Pop(v); Push(v); break;
            case VTernop: Rule("Instr_ok/vternop"); Pop(v); Pop(v); Pop(v); Push(v); break;
            case VTestop: Rule("Instr_ok/vtestop"); Pop(v); Push(ValType.I32); break;
            case VRelop: Rule("Instr_ok/vrelop"); Pop(v); Pop(v); Push(v); break;
            case VShiftop: Rule("Instr_ok/vshiftop"); Pop(ValType.I32); Pop(v); Push(v); break;          // v128 i32 -> v128
            case VBitmask: Rule("Instr_ok/vbitmask"); Pop(v); Push(ValType.I32); break;
            case VSwizzlop: Rule("Instr_ok/vswizzlop"); Pop(v); Pop(v); Push(v); break;
            case VShuffle i: VShuffle_ok(i); break;
            case VSplat i: Rule("Instr_ok/vsplat"); Pop(LaneUnpacked(i.Shape)); Push(v); break;         // $unpackshape(sh) -> v128
            case VExtractLane i: VExtractLane_ok(i); break;
            case VReplaceLane i: VReplaceLane_ok(i); break;
            case VExtunop: Rule("Instr_ok/vextunop"); Pop(v); Push(v); break;
            case VExtbinop: Rule("Instr_ok/vextbinop"); Pop(v); Pop(v); Push(v); break;
            case VExtternop: Rule("Instr_ok/vextternop"); Pop(v); Pop(v); Pop(v); Push(v); break;
            case VNarrow: Rule("Instr_ok/vnarrow"); Pop(v); Pop(v); Push(v); break;
            case VCvtop: Rule("Instr_ok/vcvtop"); Pop(v); Push(v); break;
            default: Rule("Instr_ok"); Fail($"unknown instruction {instr.GetType().Name}"); break;
        }
    }

    // Instr_ok/vshuffle: v128 v128 -> v128, every lane index below 2 * dim
    void VShuffle_ok(VShuffle i)
    {
        Rule("Instr_ok/vshuffle");
        if (i.Lanes.Length != i.Shape.Dim) Fail("invalid lane length");
        foreach (var l in i.Lanes) if (l >= 2 * i.Shape.Dim) Fail("invalid lane index");
        Pop(ValType.V128);
        Pop(ValType.V128);
        Push(ValType.V128);
    }

    // Instr_ok/vextract_lane: v128 -> $unpackshape(sh), i < dim
    void VExtractLane_ok(VExtractLane i)
    {
        Rule("Instr_ok/vextract_lane");
        if (i.Lane >= i.Shape.Dim) Fail("invalid lane index");
        Pop(ValType.V128);
        Push(LaneUnpacked(i.Shape));
    }

    // Instr_ok/vreplace_lane: v128 $unpackshape(sh) -> v128, i < dim
    void VReplaceLane_ok(VReplaceLane i)
    {
        Rule("Instr_ok/vreplace_lane");
        if (i.Lane >= i.Shape.Dim) Fail("invalid lane index");
        Pop(LaneUnpacked(i.Shape));
        Pop(ValType.V128);
        Push(ValType.V128);
    }

    /// <summary>$unpackshape(sh): the scalar type of a lane, packed lanes widened to i32.</summary>
    static ValType LaneUnpacked(Shape sh) => sh.Lane switch
    {
        LaneType.I64 => ValType.I64,
        LaneType.F32 => ValType.F32,
        LaneType.F64 => ValType.F64,
        _ => ValType.I32,
    };
}
