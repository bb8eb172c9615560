using Spec.Syntax;

namespace Spec.Cli.Fuzz;

// Vector code: every lane operation of SIMD, vector loads and stores. Float lane results are canonicalised (a NaN lane
// becomes the one constant NaN), so that every bit of every vector is determined.
internal sealed partial class ModuleGenerator
{
    static readonly Shape[] IntShapes = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2];
    static readonly Shape[] FloatShapes = [Shape.F32x4, Shape.F64x2];

    /// <summary>A number taken from a vector: extract_lane (of any shape), any_true, all_true or bitmask.</summary>
    void Lanes(List<Instr> code, NumType t, int depth)
    {
        Vector(code, depth + 1);
        switch (t)
        {
            case NumType.I64: code.Add(new VExtractLane(Shape.I64x2, null, (byte)rng.Next(2))); return;
            case NumType.F32: code.Add(new VExtractLane(Shape.F32x4, null, (byte)rng.Next(4))); return;
            case NumType.F64: code.Add(new VExtractLane(Shape.F64x2, null, (byte)rng.Next(2))); return;
        }
        var shape = Pick(new[] { Shape.I8x16, Shape.I16x8, Shape.I32x4 });
        switch (rng.Next(5))
        {
            case 0: code.Add(new VVTestop(VVTestOp.AnyTrue)); break;
            case 1: code.Add(new VTestop(Pick(IntShapes), VTestOp.AllTrue)); break;
            case 2: code.Add(new VBitmask(Pick(IntShapes))); break;
            default:
                code.Add(new VExtractLane(shape, shape == Shape.I32x4 ? null : Pick(new[] { Sx.S, Sx.U }), (byte)rng.Next(shape.Dim)));
                break;
        }
    }

    /// <summary>A v128 computed by lane operations, loads, splats and constants.</summary>
    void Vector(List<Instr> code, int depth)
    {
        if (depth >= MaxDepth || Chance(25))
        {
            switch (rng.Next(3))
            {
                case 0:
                    code.Add(new VConst(VectorConstant()));
                    break;
                case 1:
                {
                    var shape = Pick(IntShapes.Concat(FloatShapes).ToList());
                    var t = shape.Lane switch { LaneType.I64 => NumType.I64, LaneType.F32 => NumType.F32, LaneType.F64 => NumType.F64, _ => NumType.I32 };
                    Value(code, t, depth + 1);
                    Canonical(code, t);
                    code.Add(new VSplat(shape));
                    break;
                }
                default:
                    VectorLoad(code, depth);
                    break;
            }
            return;
        }
        var s = Pick(IntShapes);
        bool narrow = s.Lane is LaneType.I8 or LaneType.I16;
        switch (rng.Next(15))
        {
            case 0:
                Vector(code, depth + 1);
                code.Add(Chance(30) ? new VVUnop(VVUnOp.Not) : s == Shape.I8x16 && Chance(30) ? new VUnop(s, VUnOp.Popcnt) : new VUnop(s, Pick(new[] { VUnOp.Abs, VUnOp.Neg })));
                break;
            case 1:
            case 2:
            {
                var ops = new List<VBinOp> { VBinOp.Add, VBinOp.Sub };
                if (s.Lane != LaneType.I8) ops.Add(VBinOp.Mul);
                if (narrow) ops.AddRange([VBinOp.AddSatS, VBinOp.AddSatU, VBinOp.SubSatS, VBinOp.SubSatU, VBinOp.AvgrU]);
                if (s.Lane != LaneType.I64) ops.AddRange([VBinOp.MinS, VBinOp.MinU, VBinOp.MaxS, VBinOp.MaxU]);
                if (s == Shape.I16x8) ops.Add(VBinOp.Q15MulrSatS);
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VBinop(s, Pick(ops)));
                break;
            }
            case 3:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VVBinop(Pick(new[] { VVBinOp.And, VVBinOp.AndNot, VVBinOp.Or, VVBinOp.Xor })));
                break;
            case 4:
            {
                var ops = new List<VRelOp> { VRelOp.Eq, VRelOp.Ne, VRelOp.LtS, VRelOp.GtS, VRelOp.LeS, VRelOp.GeS };
                if (s.Lane != LaneType.I64) ops.AddRange([VRelOp.LtU, VRelOp.GtU, VRelOp.LeU, VRelOp.GeU]);
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VRelop(s, Pick(ops)));
                break;
            }
            case 5:
                Vector(code, depth + 1);
                Value(code, NumType.I32, depth + 1);
                code.Add(new VShiftop(s, Pick(new[] { VShiftOp.Shl, VShiftOp.ShrS, VShiftOp.ShrU })));
                break;
            case 6:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VVTernop(VVTernOp.Bitselect));
                break;
            case 7:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                if (Chance(50)) code.Add(new VShuffle(Shape.I8x16, [.. Enumerable.Range(0, 16).Select(_ => (byte)rng.Next(32))]));
                else code.Add(new VSwizzlop(Shape.I8x16, VSwizzlOp.Swizzle));
                break;
            case 8:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(Chance(50) ? new VNarrow(Shape.I8x16, Shape.I16x8, Pick(new[] { Sx.S, Sx.U })) : new VNarrow(Shape.I16x8, Shape.I32x4, Pick(new[] { Sx.S, Sx.U })));
                break;
            case 9:
            {
                var (to, from) = Pick(new[] { (Shape.I16x8, Shape.I8x16), (Shape.I32x4, Shape.I16x8), (Shape.I64x2, Shape.I32x4) });
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(to == Shape.I32x4 && Chance(25) ? new VExtbinop(to, from, VExtBinOp.DotS)
                    : new VExtbinop(to, from, Pick(new[] { VExtBinOp.ExtmulLowS, VExtBinOp.ExtmulLowU, VExtBinOp.ExtmulHighS, VExtBinOp.ExtmulHighU })));
                break;
            }
            case 10:
            {
                var (to, from) = Pick(new[] { (Shape.I16x8, Shape.I8x16), (Shape.I32x4, Shape.I16x8) });
                Vector(code, depth + 1);
                code.Add(Chance(50) ? new VExtunop(to, from, Pick(new[] { VExtUnOp.ExtaddPairwiseS, VExtUnOp.ExtaddPairwiseU }))
                    : new VCvtop(to, from, Pick(new[] { VCvtOp.ExtendLowS, VCvtOp.ExtendLowU, VCvtOp.ExtendHighS, VCvtOp.ExtendHighU })));
                break;
            }
            case 11:
                Vector(code, depth + 1);
                code.Add(new VCvtop(Shape.I64x2, Shape.I32x4, Pick(new[] { VCvtOp.ExtendLowS, VCvtOp.ExtendLowU, VCvtOp.ExtendHighS, VCvtOp.ExtendHighU })));
                break;
            case 12:
            case 13:
                FloatVector(code, depth);
                break;
            default:
            {
                var shape = Pick(IntShapes.Concat(FloatShapes).ToList());
                var t = shape.Lane switch { LaneType.I64 => NumType.I64, LaneType.F32 => NumType.F32, LaneType.F64 => NumType.F64, _ => NumType.I32 };
                Vector(code, depth + 1);
                Value(code, t, depth + 1);
                Canonical(code, t);
                code.Add(new VReplaceLane(shape, (byte)rng.Next(shape.Dim)));
                break;
            }
        }
    }

    /// <summary>Float lane operations and the conversions between lane types, each result canonicalised.</summary>
    void FloatVector(List<Instr> code, int depth)
    {
        var s = Pick(FloatShapes);
        switch (rng.Next(5))
        {
            case 0:
                Vector(code, depth + 1);
                code.Add(new VUnop(s, Pick(new[] { VUnOp.Abs, VUnOp.Neg, VUnOp.Sqrt, VUnOp.Ceil, VUnOp.Floor, VUnOp.Trunc, VUnOp.Nearest })));
                CanonicalLanes(code, s);
                break;
            case 1:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VBinop(s, Pick(new[] { VBinOp.Add, VBinOp.Sub, VBinOp.Mul, VBinOp.Div, VBinOp.Min, VBinOp.Max, VBinOp.Pmin, VBinOp.Pmax })));
                CanonicalLanes(code, s);
                break;
            case 2:
                // a mask: determined whatever the NaNs
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VRelop(s, Pick(new[] { VRelOp.Eq, VRelOp.Ne, VRelOp.Lt, VRelOp.Gt, VRelOp.Le, VRelOp.Ge })));
                break;
            default:
            {
                var (to, from, op) = Pick(new[]
                {
                    (Shape.F32x4, Shape.I32x4, VCvtOp.ConvertS), (Shape.F32x4, Shape.I32x4, VCvtOp.ConvertU),
                    (Shape.I32x4, Shape.F32x4, VCvtOp.TruncSatS), (Shape.I32x4, Shape.F32x4, VCvtOp.TruncSatU),
                    (Shape.F64x2, Shape.I32x4, VCvtOp.ConvertLowS), (Shape.F64x2, Shape.I32x4, VCvtOp.ConvertLowU),
                    (Shape.I32x4, Shape.F64x2, VCvtOp.TruncSatZeroS), (Shape.I32x4, Shape.F64x2, VCvtOp.TruncSatZeroU),
                    (Shape.F32x4, Shape.F64x2, VCvtOp.DemoteZero), (Shape.F64x2, Shape.F32x4, VCvtOp.PromoteLow),
                });
                Vector(code, depth + 1);
                code.Add(new VCvtop(to, from, op));
                if (to.Lane is LaneType.F32 or LaneType.F64) CanonicalLanes(code, to);
                break;
            }
        }
    }

    /// <summary>Replaces each NaN lane of the vector on the stack by the constant NaN: bitselect (v, nan, v == v).</summary>
    void CanonicalLanes(List<Instr> code, Shape s)
    {
        int v = Scratch(ValType.V128);
        code.Add(new LocalTee((uint)v));
        code.Add(new VConst(s == Shape.F32x4
            ? new V128(CanonicalNaN32 | (ulong)CanonicalNaN32 << 32, CanonicalNaN32 | (ulong)CanonicalNaN32 << 32)
            : new V128(CanonicalNaN64, CanonicalNaN64)));
        code.AddRange([new LocalGet((uint)v), new LocalGet((uint)v), new VRelop(s, VRelOp.Eq), new VVTernop(VVTernOp.Bitselect)]);
    }

    V128 VectorConstant()
    {
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        if (Chance(30)) Array.Fill(bytes, Pick<byte>([0, 0x80, 0xff, 0x7f]));
        else if (Chance(20))
        {
            // float lanes of edge values
            var f = Pick<ulong>([0x7fc0_0000_7f80_0000, 0x8000_0000_0000_0001, 0xff80_0000_4f00_0000, 0x4f80_0000_cf00_0001]);
            return Chance(50) ? new V128(f, f ^ 0x8000_0000_8000_0000) : new V128(Pick<ulong>([0x7ff0_0000_0000_0000, 0x8000_0000_0000_0000, 0x43e0_0000_0000_0000, 0x0000_0000_0000_0001]), 0xc1e0_0000_0020_0000);
        }
        return V128.FromBytes(bytes);
    }

    /// <summary>A v128 load of any kind: whole, extending, splat, zero-filling, or into one lane of a vector.</summary>
    void VectorLoad(List<Instr> code, int depth)
    {
        uint mem = PickMem();
        Address(code, depth, mem);
        switch (rng.Next(5))
        {
            case 0: code.Add(new VLoad(VecType.V128, null, mem, MemArgFor(16))); break;
            case 1:
            {
                // v128.load8x8_s and its kind: 64 bits extended lane by lane
                var sz = Pick(new[] { Sz.S8, Sz.S16, Sz.S32 });
                code.Add(new VLoad(VecType.V128, new VLoadShape(sz, 64 / (int)sz, Pick(new[] { Sx.S, Sx.U })), mem, MemArgFor(8)));
                break;
            }
            case 2:
            {
                var sz = Pick(new[] { Sz.S8, Sz.S16, Sz.S32, Sz.S64 });
                code.Add(new VLoad(VecType.V128, new VLoadSplat(sz), mem, MemArgFor((int)sz / 8)));
                break;
            }
            case 3:
            {
                var sz = Pick(new[] { Sz.S32, Sz.S64 });
                code.Add(new VLoad(VecType.V128, new VLoadZero(sz), mem, MemArgFor((int)sz / 8)));
                break;
            }
            default:
            {
                var sz = Pick(new[] { Sz.S8, Sz.S16, Sz.S32, Sz.S64 });
                Vector(code, depth + 1);
                code.Add(new VLoadLane(VecType.V128, sz, mem, MemArgFor((int)sz / 8), (byte)rng.Next(128 / (int)sz)));
                break;
            }
        }
    }

    /// <summary>A statement: v128.store, or one lane's store.</summary>
    void VectorStore(List<Instr> code)
    {
        uint mem = PickMem();
        Address(code, StatementValueDepth, mem);
        Vector(code, StatementValueDepth);
        if (Chance(40)) code.Add(new VStore(VecType.V128, mem, MemArgFor(16)));
        else
        {
            var sz = Pick(new[] { Sz.S8, Sz.S16, Sz.S32, Sz.S64 });
            code.Add(new VStoreLane(VecType.V128, sz, mem, MemArgFor((int)sz / 8), (byte)rng.Next(128 / (int)sz)));
        }
    }
}
