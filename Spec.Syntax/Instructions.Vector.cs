using System.Collections.Immutable;

namespace Spec.Syntax;

// §2.4.2 Vector instructions (including relaxed SIMD).

/// <summary>shape ::= lanetype X dim, with |lanetype| * dim = 128.</summary>
public readonly record struct Shape(LaneType Lane, int Dim)
{
    public static readonly Shape I8x16 = new(LaneType.I8, 16);
    public static readonly Shape I16x8 = new(LaneType.I16, 8);
    public static readonly Shape I32x4 = new(LaneType.I32, 4);
    public static readonly Shape I64x2 = new(LaneType.I64, 2);
    public static readonly Shape F32x4 = new(LaneType.F32, 4);
    public static readonly Shape F64x2 = new(LaneType.F64, 2);

    public override string ToString() => $"{Lane.ToString().ToLowerInvariant()}x{Dim}";
}

public enum VVUnOp : byte { Not }
public enum VVBinOp : byte { And, AndNot, Or, Xor }
public enum VVTernOp : byte { Bitselect }
public enum VVTestOp : byte { AnyTrue }

public enum VUnOp : byte { Abs, Neg, Popcnt, Sqrt, Ceil, Floor, Trunc, Nearest }

public enum VBinOp : byte
{
    Add, Sub, AddSatS, AddSatU, SubSatS, SubSatU, Mul, AvgrU, Q15MulrSatS, RelaxedQ15MulrS,
    MinS, MinU, MaxS, MaxU,
    Div, Min, Max, Pmin, Pmax, RelaxedMin, RelaxedMax,
}

public enum VTernOp : byte { RelaxedLaneselect, RelaxedMadd, RelaxedNmadd }
public enum VTestOp : byte { AllTrue }
public enum VRelOp : byte { Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU, Lt, Gt, Le, Ge }
public enum VShiftOp : byte { Shl, ShrS, ShrU }
public enum VSwizzlOp : byte { Swizzle, RelaxedSwizzle }
public enum VExtUnOp : byte { ExtaddPairwiseS, ExtaddPairwiseU }
public enum VExtBinOp : byte { ExtmulLowS, ExtmulLowU, ExtmulHighS, ExtmulHighU, DotS, RelaxedDotS }
public enum VExtTernOp : byte { RelaxedDotAddS }

public enum VCvtOp : byte
{
    ExtendLowS, ExtendLowU, ExtendHighS, ExtendHighU,
    ConvertS, ConvertU, ConvertLowS, ConvertLowU,
    TruncSatS, TruncSatU, TruncSatZeroS, TruncSatZeroU,
    RelaxedTruncS, RelaxedTruncU, RelaxedTruncZeroS, RelaxedTruncZeroU,
    DemoteZero, PromoteLow,
}

public sealed record VConst(V128 Value) : Instr;
public sealed record VVUnop(VVUnOp Op) : Instr;
public sealed record VVBinop(VVBinOp Op) : Instr;
public sealed record VVTernop(VVTernOp Op) : Instr;
public sealed record VVTestop(VVTestOp Op) : Instr;
public sealed record VUnop(Shape Shape, VUnOp Op) : Instr;
public sealed record VBinop(Shape Shape, VBinOp Op) : Instr;
public sealed record VTernop(Shape Shape, VTernOp Op) : Instr;
public sealed record VTestop(Shape Shape, VTestOp Op) : Instr;
public sealed record VRelop(Shape Shape, VRelOp Op) : Instr;
public sealed record VShiftop(Shape Shape, VShiftOp Op) : Instr;
public sealed record VBitmask(Shape Shape) : Instr;
public sealed record VSwizzlop(Shape Shape, VSwizzlOp Op) : Instr;

public sealed record VShuffle(Shape Shape, ImmutableArray<byte> Lanes) : Instr
{
    public bool Equals(VShuffle? o) => o is not null && Shape == o.Shape && Sequences.Equal(Lanes, o.Lanes);
    public override int GetHashCode() => HashCode.Combine(Shape, Sequences.Hash(Lanes));
}

/// <summary>VEXTUNOP ishape_1 ishape_2 op: result shape <paramref name="To"/>, operand shape <paramref name="From"/>.</summary>
public sealed record VExtunop(Shape To, Shape From, VExtUnOp Op) : Instr;
public sealed record VExtbinop(Shape To, Shape From, VExtBinOp Op) : Instr;
public sealed record VExtternop(Shape To, Shape From, VExtTernOp Op) : Instr;
public sealed record VNarrow(Shape To, Shape From, Sx Sx) : Instr;
public sealed record VCvtop(Shape To, Shape From, VCvtOp Op) : Instr;
public sealed record VSplat(Shape Shape) : Instr;
public sealed record VExtractLane(Shape Shape, Sx? Sx, byte Lane) : Instr;
public sealed record VReplaceLane(Shape Shape, byte Lane) : Instr;
