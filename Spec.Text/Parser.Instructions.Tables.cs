using Spec.Syntax;

namespace Spec.TextFormat;

// §6.5 Instructions: the keyword tables (spectec 6.3 Tplaininstr_ productions), built once.
// Instructions without immediates map to their (shared, immutable) record; the others name their immediates' parser.

internal sealed partial class Parser
{
    private static readonly string[] IntTypes = ["i32", "i64"], FloatTypes = ["f32", "f64"];

    private static NumType Num(string t) => t switch { "i32" => NumType.I32, "i64" => NumType.I64, "f32" => NumType.F32, _ => NumType.F64 };

    /// <summary>Keywords of instructions that take no immediates.</summary>
    internal static readonly Dictionary<string, Instr> PlainInstrs = BuildPlain();

    /// <summary>Keywords of instructions whose immediates <see cref="PlainInstr"/> parses.</summary>
    internal static readonly HashSet<string> ImmediateInstrs;

    private static readonly Dictionary<string, Func<Parser, Instr>> MemoryInstrs = BuildMemory();
    private static readonly Dictionary<string, Func<byte, Instr>> LaneInstrs = BuildLanes();

    static Parser()
    {
        ImmediateInstrs =
        [
            "select", "br", "br_if", "br_table", "br_on_null", "br_on_non_null", "br_on_cast", "br_on_cast_fail",
            "call", "return_call", "call_ref", "return_call_ref", "call_indirect", "return_call_indirect", "throw", "rethrow",
            "local.get", "local.set", "local.tee", "global.get", "global.set",
            "table.get", "table.set", "table.size", "table.grow", "table.fill", "table.copy", "table.init", "elem.drop",
            "memory.size", "memory.grow", "memory.fill", "memory.copy", "memory.init", "data.drop",
            "ref.null", "ref.func", "ref.test", "ref.cast",
            "struct.new", "struct.new_default", "struct.get", "struct.get_s", "struct.get_u", "struct.set",
            "array.new", "array.new_default", "array.new_fixed", "array.new_data", "array.new_elem", "array.get",
            "array.get_s", "array.get_u", "array.set", "array.fill", "array.copy", "array.init_data", "array.init_elem",
            "i32.const", "i64.const", "f32.const", "f64.const", "v128.const", "i8x16.shuffle",
            // The custom descriptors proposal.
            "struct.new_desc", "struct.new_default_desc", "ref.get_desc", "ref.cast_desc_eq", "br_on_cast_desc_eq", "br_on_cast_desc_eq_fail",
        ];
        ImmediateInstrs.UnionWith(MemoryInstrs.Keys);
        ImmediateInstrs.UnionWith(LaneInstrs.Keys);
    }

    private static Dictionary<string, Instr> BuildPlain()
    {
        var d = new Dictionary<string, Instr>(StringComparer.Ordinal)
        {
            ["unreachable"] = Unreachable.I, ["nop"] = Nop.I, ["atomic.fence"] = AtomicFence.I, ["drop"] = Drop.I, ["return"] = Return.I,
            ["throw_ref"] = ThrowRef.I, ["ref.is_null"] = RefIsNull.I, ["ref.as_non_null"] = RefAsNonNull.I,
            ["ref.eq"] = RefEq.I, ["ref.i31"] = RefI31.I, ["i31.get_s"] = new I31Get(Sx.S), ["i31.get_u"] = new I31Get(Sx.U),
            ["array.len"] = ArrayLen.I, ["any.convert_extern"] = AnyConvertExtern.I, ["extern.convert_any"] = ExternConvertAny.I,
        };

        // Tplaininstr_(I)/num-*: integer operators
        foreach (var t in IntTypes)
        {
            var nt = Num(t);
            d[$"{t}.eqz"] = new Testop(nt, TestOp.Eqz);
            foreach (var (n, op) in new[] { ("clz", UnOp.Clz), ("ctz", UnOp.Ctz), ("popcnt", UnOp.Popcnt), ("extend8_s", UnOp.Extend8S), ("extend16_s", UnOp.Extend16S) })
                d[$"{t}.{n}"] = new Unop(nt, op);
            foreach (var (n, op) in new[]
            {
                ("add", BinOp.Add), ("sub", BinOp.Sub), ("mul", BinOp.Mul), ("div_s", BinOp.DivS), ("div_u", BinOp.DivU),
                ("rem_s", BinOp.RemS), ("rem_u", BinOp.RemU), ("and", BinOp.And), ("or", BinOp.Or), ("xor", BinOp.Xor),
                ("shl", BinOp.Shl), ("shr_s", BinOp.ShrS), ("shr_u", BinOp.ShrU), ("rotl", BinOp.Rotl), ("rotr", BinOp.Rotr),
            })
                d[$"{t}.{n}"] = new Binop(nt, op);
            foreach (var (n, op) in new[]
            {
                ("eq", RelOp.Eq), ("ne", RelOp.Ne), ("lt_s", RelOp.LtS), ("lt_u", RelOp.LtU), ("gt_s", RelOp.GtS),
                ("gt_u", RelOp.GtU), ("le_s", RelOp.LeS), ("le_u", RelOp.LeU), ("ge_s", RelOp.GeS), ("ge_u", RelOp.GeU),
            })
                d[$"{t}.{n}"] = new Relop(nt, op);
            foreach (var f in FloatTypes)
            {
                d[$"{t}.trunc_{f}_s"] = new Cvtop(nt, Num(f), CvtOp.TruncS);
                d[$"{t}.trunc_{f}_u"] = new Cvtop(nt, Num(f), CvtOp.TruncU);
                d[$"{t}.trunc_sat_{f}_s"] = new Cvtop(nt, Num(f), CvtOp.TruncSatS);
                d[$"{t}.trunc_sat_{f}_u"] = new Cvtop(nt, Num(f), CvtOp.TruncSatU);
            }
        }
        d["i64.extend32_s"] = new Unop(NumType.I64, UnOp.Extend32S);
        d["i32.wrap_i64"] = new Cvtop(NumType.I32, NumType.I64, CvtOp.Wrap);
        d["i64.extend_i32_s"] = new Cvtop(NumType.I64, NumType.I32, CvtOp.ExtendS);
        d["i64.extend_i32_u"] = new Cvtop(NumType.I64, NumType.I32, CvtOp.ExtendU);
        // The wide-arithmetic proposal (not Wasm 3.0).
        d["i64.add128"] = new WideArith(WideOp.Add128);
        d["i64.sub128"] = new WideArith(WideOp.Sub128);
        d["i64.mul_wide_s"] = new WideArith(WideOp.MulWideS);
        d["i64.mul_wide_u"] = new WideArith(WideOp.MulWideU);

        // Float operators
        foreach (var t in FloatTypes)
        {
            var nt = Num(t);
            foreach (var (n, op) in new[] { ("abs", UnOp.Abs), ("neg", UnOp.Neg), ("sqrt", UnOp.Sqrt), ("ceil", UnOp.Ceil), ("floor", UnOp.Floor), ("trunc", UnOp.Trunc), ("nearest", UnOp.Nearest) })
                d[$"{t}.{n}"] = new Unop(nt, op);
            foreach (var (n, op) in new[] { ("add", BinOp.Add), ("sub", BinOp.Sub), ("mul", BinOp.Mul), ("div", BinOp.Div), ("min", BinOp.Min), ("max", BinOp.Max), ("copysign", BinOp.Copysign) })
                d[$"{t}.{n}"] = new Binop(nt, op);
            foreach (var (n, op) in new[] { ("eq", RelOp.Eq), ("ne", RelOp.Ne), ("lt", RelOp.Lt), ("gt", RelOp.Gt), ("le", RelOp.Le), ("ge", RelOp.Ge) })
                d[$"{t}.{n}"] = new Relop(nt, op);
            foreach (var i in IntTypes)
            {
                d[$"{t}.convert_{i}_s"] = new Cvtop(nt, Num(i), CvtOp.ConvertS);
                d[$"{t}.convert_{i}_u"] = new Cvtop(nt, Num(i), CvtOp.ConvertU);
            }
        }
        d["f32.demote_f64"] = new Cvtop(NumType.F32, NumType.F64, CvtOp.Demote);
        d["f64.promote_f32"] = new Cvtop(NumType.F64, NumType.F32, CvtOp.Promote);
        d["i32.reinterpret_f32"] = new Cvtop(NumType.I32, NumType.F32, CvtOp.Reinterpret);
        d["i64.reinterpret_f64"] = new Cvtop(NumType.I64, NumType.F64, CvtOp.Reinterpret);
        d["f32.reinterpret_i32"] = new Cvtop(NumType.F32, NumType.I32, CvtOp.Reinterpret);
        d["f64.reinterpret_i64"] = new Cvtop(NumType.F64, NumType.I64, CvtOp.Reinterpret);

        AddVector(d);
        return d;
    }

    // Tplaininstr_(I)/vec-*: the vector operators that exist (those with an opcode in the binary format).
    private static void AddVector(Dictionary<string, Instr> d)
    {
        Shape i8 = Shape.I8x16, i16 = Shape.I16x8, i32 = Shape.I32x4, i64 = Shape.I64x2, f32 = Shape.F32x4, f64 = Shape.F64x2;
        Shape[] ints = [i8, i16, i32, i64], floats = [f32, f64];

        d["v128.not"] = new VVUnop(VVUnOp.Not);
        d["v128.and"] = new VVBinop(VVBinOp.And);
        d["v128.andnot"] = new VVBinop(VVBinOp.AndNot);
        d["v128.or"] = new VVBinop(VVBinOp.Or);
        d["v128.xor"] = new VVBinop(VVBinOp.Xor);
        d["v128.bitselect"] = new VVTernop(VVTernOp.Bitselect);
        d["v128.any_true"] = new VVTestop(VVTestOp.AnyTrue);
        d["i8x16.swizzle"] = new VSwizzlop(i8, VSwizzlOp.Swizzle);
        d["i8x16.relaxed_swizzle"] = new VSwizzlop(i8, VSwizzlOp.RelaxedSwizzle);

        foreach (var s in ints)
        {
            d[$"{s}.abs"] = new VUnop(s, VUnOp.Abs);
            d[$"{s}.neg"] = new VUnop(s, VUnOp.Neg);
            d[$"{s}.all_true"] = new VTestop(s, VTestOp.AllTrue);
            d[$"{s}.bitmask"] = new VBitmask(s);
            d[$"{s}.shl"] = new VShiftop(s, VShiftOp.Shl);
            d[$"{s}.shr_s"] = new VShiftop(s, VShiftOp.ShrS);
            d[$"{s}.shr_u"] = new VShiftop(s, VShiftOp.ShrU);
            d[$"{s}.add"] = new VBinop(s, VBinOp.Add);
            d[$"{s}.sub"] = new VBinop(s, VBinOp.Sub);
            d[$"{s}.relaxed_laneselect"] = new VTernop(s, VTernOp.RelaxedLaneselect);
            d[$"{s}.eq"] = new VRelop(s, VRelOp.Eq);
            d[$"{s}.ne"] = new VRelop(s, VRelOp.Ne);
            d[$"{s}.lt_s"] = new VRelop(s, VRelOp.LtS);
            d[$"{s}.gt_s"] = new VRelop(s, VRelOp.GtS);
            d[$"{s}.le_s"] = new VRelop(s, VRelOp.LeS);
            d[$"{s}.ge_s"] = new VRelop(s, VRelOp.GeS);
            d[$"{s}.splat"] = new VSplat(s);
            if (s != i64)
            {
                d[$"{s}.lt_u"] = new VRelop(s, VRelOp.LtU);
                d[$"{s}.gt_u"] = new VRelop(s, VRelOp.GtU);
                d[$"{s}.le_u"] = new VRelop(s, VRelOp.LeU);
                d[$"{s}.ge_u"] = new VRelop(s, VRelOp.GeU);
                d[$"{s}.min_s"] = new VBinop(s, VBinOp.MinS);
                d[$"{s}.min_u"] = new VBinop(s, VBinOp.MinU);
                d[$"{s}.max_s"] = new VBinop(s, VBinOp.MaxS);
                d[$"{s}.max_u"] = new VBinop(s, VBinOp.MaxU);
            }
            if (s != i8) d[$"{s}.mul"] = new VBinop(s, VBinOp.Mul);
            if (s == i8 || s == i16)
            {
                d[$"{s}.add_sat_s"] = new VBinop(s, VBinOp.AddSatS);
                d[$"{s}.add_sat_u"] = new VBinop(s, VBinOp.AddSatU);
                d[$"{s}.sub_sat_s"] = new VBinop(s, VBinOp.SubSatS);
                d[$"{s}.sub_sat_u"] = new VBinop(s, VBinOp.SubSatU);
                d[$"{s}.avgr_u"] = new VBinop(s, VBinOp.AvgrU);
            }
        }
        d["i8x16.popcnt"] = new VUnop(i8, VUnOp.Popcnt);
        d["i16x8.q15mulr_sat_s"] = new VBinop(i16, VBinOp.Q15MulrSatS);
        d["i16x8.relaxed_q15mulr_s"] = new VBinop(i16, VBinOp.RelaxedQ15MulrS);

        foreach (var s in floats)
        {
            d[$"{s}.splat"] = new VSplat(s);
            foreach (var (n, op) in new[] { ("abs", VUnOp.Abs), ("neg", VUnOp.Neg), ("sqrt", VUnOp.Sqrt), ("ceil", VUnOp.Ceil), ("floor", VUnOp.Floor), ("trunc", VUnOp.Trunc), ("nearest", VUnOp.Nearest) })
                d[$"{s}.{n}"] = new VUnop(s, op);
            foreach (var (n, op) in new[]
            {
                ("add", VBinOp.Add), ("sub", VBinOp.Sub), ("mul", VBinOp.Mul), ("div", VBinOp.Div), ("min", VBinOp.Min), ("max", VBinOp.Max),
                ("pmin", VBinOp.Pmin), ("pmax", VBinOp.Pmax), ("relaxed_min", VBinOp.RelaxedMin), ("relaxed_max", VBinOp.RelaxedMax),
            })
                d[$"{s}.{n}"] = new VBinop(s, op);
            foreach (var (n, op) in new[] { ("eq", VRelOp.Eq), ("ne", VRelOp.Ne), ("lt", VRelOp.Lt), ("gt", VRelOp.Gt), ("le", VRelOp.Le), ("ge", VRelOp.Ge) })
                d[$"{s}.{n}"] = new VRelop(s, op);
            d[$"{s}.relaxed_madd"] = new VTernop(s, VTernOp.RelaxedMadd);
            d[$"{s}.relaxed_nmadd"] = new VTernop(s, VTernOp.RelaxedNmadd);
        }

        // Extended, narrowing and converting operators: result shape first, operand shape in the name.
        d["i16x8.extadd_pairwise_i8x16_s"] = new VExtunop(i16, i8, VExtUnOp.ExtaddPairwiseS);
        d["i16x8.extadd_pairwise_i8x16_u"] = new VExtunop(i16, i8, VExtUnOp.ExtaddPairwiseU);
        d["i32x4.extadd_pairwise_i16x8_s"] = new VExtunop(i32, i16, VExtUnOp.ExtaddPairwiseS);
        d["i32x4.extadd_pairwise_i16x8_u"] = new VExtunop(i32, i16, VExtUnOp.ExtaddPairwiseU);
        foreach (var (to, from) in new[] { (i16, i8), (i32, i16), (i64, i32) })
        {
            d[$"{to}.extmul_low_{from}_s"] = new VExtbinop(to, from, VExtBinOp.ExtmulLowS);
            d[$"{to}.extmul_low_{from}_u"] = new VExtbinop(to, from, VExtBinOp.ExtmulLowU);
            d[$"{to}.extmul_high_{from}_s"] = new VExtbinop(to, from, VExtBinOp.ExtmulHighS);
            d[$"{to}.extmul_high_{from}_u"] = new VExtbinop(to, from, VExtBinOp.ExtmulHighU);
            d[$"{to}.extend_low_{from}_s"] = new VCvtop(to, from, VCvtOp.ExtendLowS);
            d[$"{to}.extend_low_{from}_u"] = new VCvtop(to, from, VCvtOp.ExtendLowU);
            d[$"{to}.extend_high_{from}_s"] = new VCvtop(to, from, VCvtOp.ExtendHighS);
            d[$"{to}.extend_high_{from}_u"] = new VCvtop(to, from, VCvtOp.ExtendHighU);
        }
        d["i32x4.dot_i16x8_s"] = new VExtbinop(i32, i16, VExtBinOp.DotS);
        d["i16x8.relaxed_dot_i8x16_i7x16_s"] = new VExtbinop(i16, i8, VExtBinOp.RelaxedDotS);
        // The operands are i8x16: the syntax's side condition (4 * |i8| = |i32| = 32) holds for (I32 X 4) (I8 X 16);
        // the (I16 X 8) written in spectec 5.3/6.3 contradicts it, and the numerics ($vextternop__) need the i8 lanes.
        d["i32x4.relaxed_dot_i8x16_i7x16_add_s"] = new VExtternop(i32, i8, VExtTernOp.RelaxedDotAddS);
        d["i8x16.narrow_i16x8_s"] = new VNarrow(i8, i16, Sx.S);
        d["i8x16.narrow_i16x8_u"] = new VNarrow(i8, i16, Sx.U);
        d["i16x8.narrow_i32x4_s"] = new VNarrow(i16, i32, Sx.S);
        d["i16x8.narrow_i32x4_u"] = new VNarrow(i16, i32, Sx.U);
        d["i32x4.trunc_sat_f32x4_s"] = new VCvtop(i32, f32, VCvtOp.TruncSatS);
        d["i32x4.trunc_sat_f32x4_u"] = new VCvtop(i32, f32, VCvtOp.TruncSatU);
        d["i32x4.trunc_sat_f64x2_s_zero"] = new VCvtop(i32, f64, VCvtOp.TruncSatZeroS);
        d["i32x4.trunc_sat_f64x2_u_zero"] = new VCvtop(i32, f64, VCvtOp.TruncSatZeroU);
        d["i32x4.relaxed_trunc_f32x4_s"] = new VCvtop(i32, f32, VCvtOp.RelaxedTruncS);
        d["i32x4.relaxed_trunc_f32x4_u"] = new VCvtop(i32, f32, VCvtOp.RelaxedTruncU);
        d["i32x4.relaxed_trunc_f64x2_s_zero"] = new VCvtop(i32, f64, VCvtOp.RelaxedTruncZeroS);
        d["i32x4.relaxed_trunc_f64x2_u_zero"] = new VCvtop(i32, f64, VCvtOp.RelaxedTruncZeroU);
        d["f32x4.convert_i32x4_s"] = new VCvtop(f32, i32, VCvtOp.ConvertS);
        d["f32x4.convert_i32x4_u"] = new VCvtop(f32, i32, VCvtOp.ConvertU);
        d["f64x2.convert_low_i32x4_s"] = new VCvtop(f64, i32, VCvtOp.ConvertLowS);
        d["f64x2.convert_low_i32x4_u"] = new VCvtop(f64, i32, VCvtOp.ConvertLowU);
        d["f32x4.demote_f64x2_zero"] = new VCvtop(f32, f64, VCvtOp.DemoteZero);
        d["f64x2.promote_low_f32x4"] = new VCvtop(f64, f32, VCvtOp.PromoteLow);
    }

    // Tplaininstr_(I)/memory: loads and stores with their natural alignment (the N of Tmemarg_(N)).
    private static Dictionary<string, Func<Parser, Instr>> BuildMemory()
    {
        var d = new Dictionary<string, Func<Parser, Instr>>(StringComparer.Ordinal);
        void Load(string name, NumType t, LoadOp? op, int n) => d[name] = p => { var (x, m) = p.MemUse(n); return new Load(t, op, x, m); };
        void Store(string name, NumType t, Sz? sz, int n) => d[name] = p => { var (x, m) = p.MemUse(n); return new Store(t, sz, x, m); };
        void VLoad(string name, VLoadOp? op, int n) => d[name] = p => { var (x, m) = p.MemUse(n); return new VLoad(VecType.V128, op, x, m); };

        Load("i32.load", NumType.I32, null, 4); Load("i64.load", NumType.I64, null, 8);
        Load("f32.load", NumType.F32, null, 4); Load("f64.load", NumType.F64, null, 8);
        foreach (var t in IntTypes)
        {
            var nt = Num(t);
            Load($"{t}.load8_s", nt, new LoadOp(Sz.S8, Sx.S), 1); Load($"{t}.load8_u", nt, new LoadOp(Sz.S8, Sx.U), 1);
            Load($"{t}.load16_s", nt, new LoadOp(Sz.S16, Sx.S), 2); Load($"{t}.load16_u", nt, new LoadOp(Sz.S16, Sx.U), 2);
            Store($"{t}.store8", nt, Sz.S8, 1); Store($"{t}.store16", nt, Sz.S16, 2);
        }
        Load("i64.load32_s", NumType.I64, new LoadOp(Sz.S32, Sx.S), 4); Load("i64.load32_u", NumType.I64, new LoadOp(Sz.S32, Sx.U), 4);
        Store("i32.store", NumType.I32, null, 4); Store("i64.store", NumType.I64, null, 8);
        Store("f32.store", NumType.F32, null, 4); Store("f64.store", NumType.F64, null, 8);
        Store("i64.store32", NumType.I64, Sz.S32, 4);

        VLoad("v128.load", null, 16);
        foreach (var (n, sz, m) in new[] { ("8x8", Sz.S8, 8), ("16x4", Sz.S16, 4), ("32x2", Sz.S32, 2) })
        {
            VLoad($"v128.load{n}_s", new VLoadShape(sz, m, Sx.S), 8);
            VLoad($"v128.load{n}_u", new VLoadShape(sz, m, Sx.U), 8);
        }
        foreach (var sz in new[] { Sz.S8, Sz.S16, Sz.S32, Sz.S64 })
        {
            int bytes = (int)sz / 8;
            VLoad($"v128.load{(int)sz}_splat", new VLoadSplat(sz), bytes);
            if (sz >= Sz.S32) VLoad($"v128.load{(int)sz}_zero", new VLoadZero(sz), bytes);
            d[$"v128.load{(int)sz}_lane"] = p => { var (x, m, l) = p.MemLaneUse(bytes); return new VLoadLane(VecType.V128, sz, x, m, l); };
            d[$"v128.store{(int)sz}_lane"] = p => { var (x, m, l) = p.MemLaneUse(bytes); return new VStoreLane(VecType.V128, sz, x, m, l); };
        }
        d["v128.store"] = p => { var (x, m) = p.MemUse(16); return new VStore(VecType.V128, x, m); };

        // The threads proposal (not Wasm 3.0): atomic accesses, wait and notify.
        foreach (var op in Enum.GetValues<AtomicOp>())
            foreach (var (t, sz) in AtomicVariants)
            {
                int n = sz is { } z ? (int)z / 8 : t == NumType.I32 ? 4 : 8;
                d[AtomicName(t, sz, op)] = p => { var (x, m) = p.MemUse(n); return new Atomic(t, sz, op, x, m); };
            }
        d["memory.atomic.notify"] = p => { var (x, m) = p.MemUse(4); return new MemoryAtomicNotify(x, m); };
        d["memory.atomic.wait32"] = p => { var (x, m) = p.MemUse(4); return new MemoryAtomicWait(NumType.I32, x, m); };
        d["memory.atomic.wait64"] = p => { var (x, m) = p.MemUse(8); return new MemoryAtomicWait(NumType.I64, x, m); };
        return d;
    }

    /// <summary>The seven type/size variants of each atomic access kind (threads proposal); a property, since the keyword tables are built during static initialisation.</summary>
    internal static (NumType Type, Sz? Size)[] AtomicVariants =>
        [(NumType.I32, null), (NumType.I64, null), (NumType.I32, Sz.S8), (NumType.I32, Sz.S16), (NumType.I64, Sz.S8), (NumType.I64, Sz.S16), (NumType.I64, Sz.S32)];

    /// <summary>The text name of an atomic access, e.g. i32.atomic.load8_u or i64.atomic.rmw32.cmpxchg_u (threads proposal).</summary>
    internal static string AtomicName(NumType t, Sz? sz, AtomicOp op)
    {
        string n = sz is { } z ? ((int)z).ToString(System.Globalization.CultureInfo.InvariantCulture) : "", u = sz is null ? "" : "_u";
        string tn = t == NumType.I32 ? "i32" : "i64";
        return op switch
        {
            AtomicOp.Load => $"{tn}.atomic.load{n}{u}",
            AtomicOp.Store => $"{tn}.atomic.store{n}",
            _ => $"{tn}.atomic.rmw{n}.{op.ToString().ToLowerInvariant()}{u}",
        };
    }

    // Tplaininstr_(I)/vec-lane: extract_lane and replace_lane take a lane index.
    private static Dictionary<string, Func<byte, Instr>> BuildLanes()
    {
        var d = new Dictionary<string, Func<byte, Instr>>(StringComparer.Ordinal);
        foreach (var s in new[] { Shape.I8x16, Shape.I16x8 })
        {
            d[$"{s}.extract_lane_s"] = l => new VExtractLane(s, Sx.S, l);
            d[$"{s}.extract_lane_u"] = l => new VExtractLane(s, Sx.U, l);
        }
        foreach (var s in new[] { Shape.I32x4, Shape.I64x2, Shape.F32x4, Shape.F64x2 })
            d[$"{s}.extract_lane"] = l => new VExtractLane(s, null, l);
        foreach (var s in new[] { Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2, Shape.F32x4, Shape.F64x2 })
            d[$"{s}.replace_lane"] = l => new VReplaceLane(s, l);
        return d;
    }
}
