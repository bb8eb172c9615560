using Spec.Syntax;

namespace Spec.Execution.Reduction;

// §4.4.3 Vector instructions (spectec 4.3-execution.instructions, "Vector instructions"):
// each applies the vector operator of 3.2-numerics.vector to the operands on the stack.

public sealed partial class Interpreter
{
    V128 PopV128() => stack[--sp].AsV128;

    string PushV128(V128 v, string rule) { Push(Value.V128(v)); return rule; }

    static NumType Unpacked(LaneType t) => t switch
    {
        LaneType.I64 => NumType.I64, LaneType.F32 => NumType.F32, LaneType.F64 => NumType.F64, _ => NumType.I32,
    };

    string StepVVUnop(VVUnop x) => PushV128(Numerics.vvunop(x.Op, PopV128()), "Step_pure/vvunop");

    string StepVVBinop(VVBinop x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vvbinop(x.Op, PopV128(), v2), "Step_pure/vvbinop");
    }

    string StepVVTernop(VVTernop x)
    {
        var v3 = PopV128(); var v2 = PopV128();
        return PushV128(Numerics.vvternop(x.Op, PopV128(), v2, v3), "Step_pure/vvternop");
    }

    string StepVVTestop(VVTestop x) { Push(Value.I32(Numerics.vvtestop(x.Op, PopV128()))); return "Step_pure/vvtestop"; }

    string StepVUnop(VUnop x) => PushV128(Numerics.vunop(x.Shape, x.Op, PopV128()), "Step_pure/vunop-val");

    string StepVBinop(VBinop x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vbinop(x.Shape, x.Op, PopV128(), v2), "Step_pure/vbinop-val");
    }

    string StepVTernop(VTernop x)
    {
        var v3 = PopV128(); var v2 = PopV128();
        return PushV128(Numerics.vternop(x.Shape, x.Op, PopV128(), v2, v3), "Step_pure/vternop-val");
    }

    string StepVTestop(VTestop x) { Push(Value.I32(Numerics.vtestop(x.Shape, x.Op, PopV128()))); return "Step_pure/vtestop"; }

    string StepVRelop(VRelop x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vrelop(x.Shape, x.Op, PopV128(), v2), "Step_pure/vrelop");
    }

    string StepVShiftop(VShiftop x)
    {
        var i = PopU32();
        return PushV128(Numerics.vshiftop(x.Shape, x.Op, PopV128(), i), "Step_pure/vshiftop");
    }

    string StepVBitmask(VBitmask x) { Push(Value.I32(Numerics.vbitmask(x.Shape, PopV128()))); return "Step_pure/vbitmask"; }

    string StepVSwizzlop(VSwizzlop x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vswizzle(x.Shape, x.Op, PopV128(), v2), "Step_pure/vswizzlop");
    }

    string StepVShuffle(VShuffle x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vshuffle(x.Shape, x.Lanes.AsSpan(), PopV128(), v2), "Step_pure/vshuffle");
    }

    string StepVExtunop(VExtunop x) => PushV128(Numerics.vextunop(x.To, x.From, x.Op, PopV128()), "Step_pure/vextunop");

    string StepVExtbinop(VExtbinop x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vextbinop(x.To, x.From, x.Op, PopV128(), v2), "Step_pure/vextbinop");
    }

    string StepVExtternop(VExtternop x)
    {
        var v3 = PopV128(); var v2 = PopV128();
        return PushV128(Numerics.vextternop(x.To, x.From, x.Op, PopV128(), v2, v3), "Step_pure/vextternop");
    }

    string StepVNarrow(VNarrow x)
    {
        var v2 = PopV128();
        return PushV128(Numerics.vnarrow(x.To, x.From, x.Sx, PopV128(), v2), "Step_pure/vnarrow");
    }

    string StepVCvtop(VCvtop x) => PushV128(Numerics.vcvtop(x.To, x.From, x.Op, PopV128()), "Step_pure/vcvtop");

    string StepVSplat(VSplat x) => PushV128(Numerics.vsplat(x.Shape, Pop().Bits), "Step_pure/vsplat");

    string StepVExtractLane(VExtractLane x)
    {
        var c = Numerics.vextract_lane(x.Shape, x.Sx, x.Lane, PopV128());
        Push(Value.Num(Unpacked(x.Shape.Lane), c));
        return x.Sx is null ? "Step_pure/vextract_lane-num" : "Step_pure/vextract_lane-pack";
    }

    string StepVReplaceLane(VReplaceLane x)
    {
        var c = Pop().Bits;
        return PushV128(Numerics.vreplace_lane(x.Shape, x.Lane, PopV128(), c), "Step_pure/vreplace_lane");
    }
}
