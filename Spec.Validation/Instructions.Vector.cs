using Spec.Syntax;

namespace Spec.Validation;

// §3.4.2 Vector instructions (spectec 2.3, "Vector instructions"); vector memory instructions are in Instructions.Memory.cs.

internal sealed partial class Checker
{
    void Vector(Instr instr)
    {
        var v = ValType.V128;
        if (!Vecop_ok(instr)) { Rule("Instr_ok"); Fail($"invalid vector operator {instr}"); }
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

    // The syntax of vector instructions (1.3-syntax.instructions) admits each operator at certain shapes only;
    // the decoder and parser never produce others, but a module built directly might.
    static bool Vecop_ok(Instr instr)
    {
        static bool Int(Shape sh) => sh.Lane is LaneType.I8 or LaneType.I16 or LaneType.I32 or LaneType.I64;
        static bool Is(Shape sh, LaneType lane) => sh.Lane == lane;
        static bool Small(Shape sh) => sh.Lane is LaneType.I8 or LaneType.I16;
        return instr switch
        {
            VUnop(var sh, var op) => Int(sh)
                ? op is VUnOp.Abs or VUnOp.Neg || (op == VUnOp.Popcnt && Is(sh, LaneType.I8))
                : op is not VUnOp.Popcnt,
            VBinop(var sh, var op) => Int(sh)
                ? op switch
                {
                    VBinOp.Add or VBinOp.Sub => true,
                    VBinOp.AddSatS or VBinOp.AddSatU or VBinOp.SubSatS or VBinOp.SubSatU or VBinOp.AvgrU => Small(sh),
                    VBinOp.Mul => !Is(sh, LaneType.I8),
                    VBinOp.Q15MulrSatS or VBinOp.RelaxedQ15MulrS => Is(sh, LaneType.I16),
                    VBinOp.MinS or VBinOp.MinU or VBinOp.MaxS or VBinOp.MaxU => !Is(sh, LaneType.I64),
                    _ => false,
                }
                : op is VBinOp.Add or VBinOp.Sub or VBinOp.Mul or VBinOp.Div or VBinOp.Min or VBinOp.Max
                    or VBinOp.Pmin or VBinOp.Pmax or VBinOp.RelaxedMin or VBinOp.RelaxedMax,
            VTernop(var sh, var op) => Int(sh) == (op == VTernOp.RelaxedLaneselect),
            VTestop(var sh, _) => Int(sh),
            VBitmask(var sh) => Int(sh),
            VShiftop(var sh, _) => Int(sh),
            VRelop(var sh, var op) => Int(sh)
                ? op is not (VRelOp.Lt or VRelOp.Gt or VRelOp.Le or VRelOp.Ge)
                    && (!Is(sh, LaneType.I64) || op is VRelOp.Eq or VRelOp.Ne or VRelOp.LtS or VRelOp.GtS or VRelOp.LeS or VRelOp.GeS)
                : op is VRelOp.Eq or VRelOp.Ne or VRelOp.Lt or VRelOp.Gt or VRelOp.Le or VRelOp.Ge,
            VSwizzlop(var sh, _) => sh == Shape.I8x16,
            VShuffle(var sh, _) => sh == Shape.I8x16,
            VExtractLane(var sh, var sx, _) => Small(sh) == sx.HasValue,
            VExtunop(var to, var from, _) => (to, from) == (Shape.I16x8, Shape.I8x16) || (to, from) == (Shape.I32x4, Shape.I16x8),
            VExtbinop(var to, var from, var op) => op switch
            {
                VExtBinOp.DotS => (to, from) == (Shape.I32x4, Shape.I16x8),
                VExtBinOp.RelaxedDotS => (to, from) == (Shape.I16x8, Shape.I8x16),
                _ => Int(to) && Int(from) && to.Dim * 2 == from.Dim && to != Shape.I8x16,
            },
            VExtternop(var to, var from, _) => (to, from) == (Shape.I32x4, Shape.I8x16),
            VNarrow(var to, var from, _) => (to, from) == (Shape.I8x16, Shape.I16x8) || (to, from) == (Shape.I16x8, Shape.I32x4),
            VCvtop(var to, var from, var op) => op switch
            {
                VCvtOp.ExtendLowS or VCvtOp.ExtendLowU or VCvtOp.ExtendHighS or VCvtOp.ExtendHighU =>
                    Int(to) && Int(from) && to.Dim * 2 == from.Dim && to != Shape.I8x16,
                VCvtOp.ConvertS or VCvtOp.ConvertU => (to, from) == (Shape.F32x4, Shape.I32x4),
                VCvtOp.ConvertLowS or VCvtOp.ConvertLowU => (to, from) == (Shape.F64x2, Shape.I32x4),
                VCvtOp.TruncSatS or VCvtOp.TruncSatU or VCvtOp.RelaxedTruncS or VCvtOp.RelaxedTruncU => (to, from) == (Shape.I32x4, Shape.F32x4),
                VCvtOp.TruncSatZeroS or VCvtOp.TruncSatZeroU or VCvtOp.RelaxedTruncZeroS or VCvtOp.RelaxedTruncZeroU => (to, from) == (Shape.I32x4, Shape.F64x2),
                VCvtOp.DemoteZero => (to, from) == (Shape.F32x4, Shape.F64x2),
                VCvtOp.PromoteLow => (to, from) == (Shape.F64x2, Shape.F32x4),
                _ => false,
            },
            VSplat(var sh) => sh.Dim * LaneBits(sh.Lane) == 128,
            VReplaceLane(var sh, _) => sh.Dim * LaneBits(sh.Lane) == 128,
            _ => true,
        };
    }

    static int LaneBits(LaneType lane) => lane switch
    {
        LaneType.I8 => 8, LaneType.I16 => 16, LaneType.I32 or LaneType.F32 => 32, _ => 64,
    };

    /// <summary>$unpackshape(sh): the scalar type of a lane, packed lanes widened to i32.</summary>
    static ValType LaneUnpacked(Shape sh) => sh.Lane switch
    {
        LaneType.I64 => ValType.I64,
        LaneType.F32 => ValType.F32,
        LaneType.F64 => ValType.F64,
        _ => ValType.I32,
    };
}
