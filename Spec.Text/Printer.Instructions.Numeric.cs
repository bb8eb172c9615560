using Spec.Syntax;

namespace Spec.TextFormat;

// §6.5.8 Numeric and §6.5.9 vector instructions: names are shape.op, conversions shape.op_fromshape(_sx).
internal sealed partial class Printer
{
    static string NumericOrVector(Instr instr) => instr switch
    {
        // Tplaininstr_/num-const
        Const { Type: Syntax.NumType.I32 } c => $"i32.const {I32((uint)c.Bits)}",
        Const { Type: Syntax.NumType.I64 } c => $"i64.const {I64(c.Bits)}",
        Const { Type: Syntax.NumType.F32 } c => $"f32.const {F32((uint)c.Bits)}",
        Const c => $"f64.const {F64(c.Bits)}",

        // num-test, num-rel, num-un, num-bin, num-cvt
        Testop t => $"{NumType(t.Type)}.eqz",
        Relop r => $"{NumType(r.Type)}.{RelOpName(r.Op)}",
        Unop u => $"{NumType(u.Type)}.{UnOpName(u.Op)}",
        Binop b => $"{NumType(b.Type)}.{BinOpName(b.Op)}",
        Cvtop c => $"{NumType(c.To)}.{CvtOpName(c.Op, NumType(c.From))}",
        WideArith w => w.Op switch { WideOp.Add128 => "i64.add128", WideOp.Sub128 => "i64.sub128", WideOp.MulWideS => "i64.mul_wide_s", _ => "i64.mul_wide_u" },

        // vec-const: four i32 lanes in hex, exactly the 128 bits
        VConst v => $"v128.const i32x4 0x{(uint)v.Value.Lo:x8} 0x{(uint)(v.Value.Lo >> 32):x8} 0x{(uint)v.Value.Hi:x8} 0x{(uint)(v.Value.Hi >> 32):x8}",

        // vec-shuffle, vec-splat, vec-lane
        VShuffle s => $"i8x16.shuffle{string.Concat(s.Lanes.OrEmpty().Select(l => " " + l.ToString(Inv)))}",
        VSwizzlop s => $"{s.Shape}.{(s.Op == VSwizzlOp.Swizzle ? "swizzle" : "relaxed_swizzle")}",
        VSplat s => $"{s.Shape}.splat",
        VExtractLane e => $"{e.Shape}.extract_lane{(e.Sx is { } sx ? sx == Sx.S ? "_s" : "_u" : "")} {e.Lane}",
        VReplaceLane r => $"{r.Shape}.replace_lane {r.Lane}",

        // vec-test, vec-rel, vec-un, vec-bin, vec-tern, vec-shift, vec-bitmask
        VVTestop => "v128.any_true",
        VTestop t => $"{t.Shape}.all_true",
        VRelop r => $"{r.Shape}.{VRelOpName(r.Op)}",
        VVUnop => "v128.not",
        VUnop u => $"{u.Shape}.{VUnOpName(u.Op)}",
        VVBinop b => $"v128.{VVBinOpName(b.Op)}",
        VBinop b => $"{b.Shape}.{VBinOpName(b.Op)}",
        VVTernop => "v128.bitselect",
        VTernop t => $"{t.Shape}.{VTernOpName(t.Op)}",
        VShiftop s => $"{s.Shape}.{(s.Op switch { VShiftOp.Shl => "shl", VShiftOp.ShrS => "shr_s", _ => "shr_u" })}",
        VBitmask b => $"{b.Shape}.bitmask",

        // vec-narrow, vec-cvt, vec-extun, vec-extbin, vec-exttern
        VNarrow n => $"{n.To}.narrow_{n.From}{(n.Sx == Sx.S ? "_s" : "_u")}",
        VCvtop c => $"{c.To}.{VCvtOpName(c.Op, c.From.ToString())}",
        VExtunop e => $"{e.To}.extadd_pairwise_{e.From}{(e.Op == VExtUnOp.ExtaddPairwiseS ? "_s" : "_u")}",
        VExtbinop e => $"{e.To}.{VExtBinOpName(e.Op, e.From.ToString())}",
        VExtternop e => $"{e.To}.relaxed_dot_i8x16_i7x16_add_s",

        _ => throw new ArgumentException($"instruction {instr} has no text form"),
    };

    static string RelOpName(RelOp op) => op switch
    {
        RelOp.Eq => "eq", RelOp.Ne => "ne",
        RelOp.LtS => "lt_s", RelOp.LtU => "lt_u", RelOp.GtS => "gt_s", RelOp.GtU => "gt_u",
        RelOp.LeS => "le_s", RelOp.LeU => "le_u", RelOp.GeS => "ge_s", RelOp.GeU => "ge_u",
        RelOp.Lt => "lt", RelOp.Gt => "gt", RelOp.Le => "le", _ => "ge",
    };

    static string UnOpName(UnOp op) => op switch
    {
        UnOp.Clz => "clz", UnOp.Ctz => "ctz", UnOp.Popcnt => "popcnt",
        UnOp.Extend8S => "extend8_s", UnOp.Extend16S => "extend16_s", UnOp.Extend32S => "extend32_s",
        UnOp.Abs => "abs", UnOp.Neg => "neg", UnOp.Sqrt => "sqrt", UnOp.Ceil => "ceil",
        UnOp.Floor => "floor", UnOp.Trunc => "trunc", _ => "nearest",
    };

    static string BinOpName(BinOp op) => op switch
    {
        BinOp.Add => "add", BinOp.Sub => "sub", BinOp.Mul => "mul",
        BinOp.DivS => "div_s", BinOp.DivU => "div_u", BinOp.RemS => "rem_s", BinOp.RemU => "rem_u",
        BinOp.And => "and", BinOp.Or => "or", BinOp.Xor => "xor",
        BinOp.Shl => "shl", BinOp.ShrS => "shr_s", BinOp.ShrU => "shr_u", BinOp.Rotl => "rotl", BinOp.Rotr => "rotr",
        BinOp.Div => "div", BinOp.Min => "min", BinOp.Max => "max", _ => "copysign",
    };

    // num-cvt-*: to.op_from with the signedness last (i64.extend_i32_s, i32.trunc_sat_f64_u, f32.demote_f64).
    static string CvtOpName(CvtOp op, string from) => op switch
    {
        CvtOp.ExtendS => $"extend_{from}_s", CvtOp.ExtendU => $"extend_{from}_u", CvtOp.Wrap => $"wrap_{from}",
        CvtOp.ConvertS => $"convert_{from}_s", CvtOp.ConvertU => $"convert_{from}_u",
        CvtOp.TruncS => $"trunc_{from}_s", CvtOp.TruncU => $"trunc_{from}_u",
        CvtOp.TruncSatS => $"trunc_sat_{from}_s", CvtOp.TruncSatU => $"trunc_sat_{from}_u",
        CvtOp.Promote => $"promote_{from}", CvtOp.Demote => $"demote_{from}", _ => $"reinterpret_{from}",
    };

    static string VRelOpName(VRelOp op) => op switch
    {
        VRelOp.Eq => "eq", VRelOp.Ne => "ne",
        VRelOp.LtS => "lt_s", VRelOp.LtU => "lt_u", VRelOp.GtS => "gt_s", VRelOp.GtU => "gt_u",
        VRelOp.LeS => "le_s", VRelOp.LeU => "le_u", VRelOp.GeS => "ge_s", VRelOp.GeU => "ge_u",
        VRelOp.Lt => "lt", VRelOp.Gt => "gt", VRelOp.Le => "le", _ => "ge",
    };

    static string VUnOpName(VUnOp op) => op switch
    {
        VUnOp.Abs => "abs", VUnOp.Neg => "neg", VUnOp.Popcnt => "popcnt", VUnOp.Sqrt => "sqrt",
        VUnOp.Ceil => "ceil", VUnOp.Floor => "floor", VUnOp.Trunc => "trunc", _ => "nearest",
    };

    static string VVBinOpName(VVBinOp op) => op switch
    {
        VVBinOp.And => "and", VVBinOp.AndNot => "andnot", VVBinOp.Or => "or", _ => "xor",
    };

    static string VBinOpName(VBinOp op) => op switch
    {
        VBinOp.Add => "add", VBinOp.Sub => "sub",
        VBinOp.AddSatS => "add_sat_s", VBinOp.AddSatU => "add_sat_u",
        VBinOp.SubSatS => "sub_sat_s", VBinOp.SubSatU => "sub_sat_u",
        VBinOp.Mul => "mul", VBinOp.AvgrU => "avgr_u",
        VBinOp.Q15MulrSatS => "q15mulr_sat_s", VBinOp.RelaxedQ15MulrS => "relaxed_q15mulr_s",
        VBinOp.MinS => "min_s", VBinOp.MinU => "min_u", VBinOp.MaxS => "max_s", VBinOp.MaxU => "max_u",
        VBinOp.Div => "div", VBinOp.Min => "min", VBinOp.Max => "max", VBinOp.Pmin => "pmin", VBinOp.Pmax => "pmax",
        VBinOp.RelaxedMin => "relaxed_min", _ => "relaxed_max",
    };

    static string VTernOpName(VTernOp op) => op switch
    {
        VTernOp.RelaxedLaneselect => "relaxed_laneselect", VTernOp.RelaxedMadd => "relaxed_madd", _ => "relaxed_nmadd",
    };

    // vec-cvt-*: to.op_from with _s/_u and _zero suffixes in the spec's order.
    static string VCvtOpName(VCvtOp op, string from) => op switch
    {
        VCvtOp.ExtendLowS => $"extend_low_{from}_s", VCvtOp.ExtendLowU => $"extend_low_{from}_u",
        VCvtOp.ExtendHighS => $"extend_high_{from}_s", VCvtOp.ExtendHighU => $"extend_high_{from}_u",
        VCvtOp.ConvertS => $"convert_{from}_s", VCvtOp.ConvertU => $"convert_{from}_u",
        VCvtOp.ConvertLowS => $"convert_low_{from}_s", VCvtOp.ConvertLowU => $"convert_low_{from}_u",
        VCvtOp.TruncSatS => $"trunc_sat_{from}_s", VCvtOp.TruncSatU => $"trunc_sat_{from}_u",
        VCvtOp.TruncSatZeroS => $"trunc_sat_{from}_s_zero", VCvtOp.TruncSatZeroU => $"trunc_sat_{from}_u_zero",
        VCvtOp.RelaxedTruncS => $"relaxed_trunc_{from}_s", VCvtOp.RelaxedTruncU => $"relaxed_trunc_{from}_u",
        VCvtOp.RelaxedTruncZeroS => $"relaxed_trunc_{from}_s_zero", VCvtOp.RelaxedTruncZeroU => $"relaxed_trunc_{from}_u_zero",
        VCvtOp.DemoteZero => $"demote_{from}_zero", _ => $"promote_low_{from}",
    };

    // vec-extbin-*: extmul_{low,high}_from_sx, dot_from_s, relaxed_dot_i8x16_i7x16_s.
    static string VExtBinOpName(VExtBinOp op, string from) => op switch
    {
        VExtBinOp.ExtmulLowS => $"extmul_low_{from}_s", VExtBinOp.ExtmulLowU => $"extmul_low_{from}_u",
        VExtBinOp.ExtmulHighS => $"extmul_high_{from}_s", VExtBinOp.ExtmulHighU => $"extmul_high_{from}_u",
        VExtBinOp.DotS => $"dot_{from}_s", _ => "relaxed_dot_i8x16_i7x16_s",
    };
}
