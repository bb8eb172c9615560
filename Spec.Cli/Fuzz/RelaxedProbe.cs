using System.Collections.Immutable;
using Spec.Syntax;
using static Spec.Execution.Numerics;

namespace Spec.Cli.Fuzz;

/// <summary>
/// A relaxed SIMD operation on constant operands, exported as "rN" () -> (i64 i64) returning the result's two halves
/// (float lanes canonicalised as everywhere else). Relaxed operators may give any of a set of results (spec §4.3.5,
/// "Relaxed operations"); <see cref="Allows"/> is that set, lane by lane, so each engine's result is checked against
/// the spec rather than against another engine.
/// </summary>
internal sealed record RelaxedProbe(Instr Op, ImmutableArray<V128> Operands)
{
    public static readonly FuncType Type = new([], [ValType.I64, ValType.I64]);

    static readonly (Instr Op, int Arity)[] Ops =
    [
        (new VSwizzlop(Shape.I8x16, VSwizzlOp.RelaxedSwizzle), 2),
        (new VCvtop(Shape.I32x4, Shape.F32x4, VCvtOp.RelaxedTruncS), 1), (new VCvtop(Shape.I32x4, Shape.F32x4, VCvtOp.RelaxedTruncU), 1),
        (new VCvtop(Shape.I32x4, Shape.F64x2, VCvtOp.RelaxedTruncZeroS), 1), (new VCvtop(Shape.I32x4, Shape.F64x2, VCvtOp.RelaxedTruncZeroU), 1),
        (new VTernop(Shape.F32x4, VTernOp.RelaxedMadd), 3), (new VTernop(Shape.F32x4, VTernOp.RelaxedNmadd), 3),
        (new VTernop(Shape.F64x2, VTernOp.RelaxedMadd), 3), (new VTernop(Shape.F64x2, VTernOp.RelaxedNmadd), 3),
        (new VTernop(Shape.I8x16, VTernOp.RelaxedLaneselect), 3), (new VTernop(Shape.I16x8, VTernOp.RelaxedLaneselect), 3),
        (new VTernop(Shape.I32x4, VTernOp.RelaxedLaneselect), 3), (new VTernop(Shape.I64x2, VTernOp.RelaxedLaneselect), 3),
        (new VBinop(Shape.F32x4, VBinOp.RelaxedMin), 2), (new VBinop(Shape.F32x4, VBinOp.RelaxedMax), 2),
        (new VBinop(Shape.F64x2, VBinOp.RelaxedMin), 2), (new VBinop(Shape.F64x2, VBinOp.RelaxedMax), 2),
        (new VBinop(Shape.I16x8, VBinOp.RelaxedQ15MulrS), 2),
        (new VExtbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.RelaxedDotS), 2),
        (new VExtternop(Shape.I32x4, Shape.I8x16, VExtTernOp.RelaxedDotAddS), 3),
    ];

    /// <summary>A probe function of type <see cref="Type"/> (at <paramref name="typeIdx"/>): one relaxed operation on edge operands.</summary>
    public static Func Generate(Random rng, uint typeIdx)
    {
        var (op, arity) = Ops[rng.Next(Ops.Length)];
        var code = new List<Instr>();
        for (int k = 0; k < arity; k++) code.Add(new VConst(Operand(rng, op, k)));
        code.Add(op);
        if (FloatResult(op) is { } s)
        {
            // bitselect (v, nan, v == v): the NaN lanes become the one constant NaN
            code.Add(new LocalTee(0));
            code.Add(new VConst(s == Shape.F32x4
                ? new V128(ModuleGenerator.CanonicalNaN32 * 0x1_0000_0001UL, ModuleGenerator.CanonicalNaN32 * 0x1_0000_0001UL)
                : new V128(ModuleGenerator.CanonicalNaN64, ModuleGenerator.CanonicalNaN64)));
            code.AddRange([new LocalGet(0), new LocalGet(0), new VRelop(s, VRelOp.Eq), new VVTernop(VVTernOp.Bitselect)]);
        }
        code.AddRange([new LocalTee(0), new VExtractLane(Shape.I64x2, null, 0), new LocalGet(0), new VExtractLane(Shape.I64x2, null, 1)]);
        return new Func(typeIdx, [new Local(ValType.V128)], new Expr([.. code]));
    }

    static Shape? FloatResult(Instr op) => op switch
    {
        VTernop { Op: VTernOp.RelaxedMadd or VTernOp.RelaxedNmadd } t => t.Shape,
        VBinop { Op: VBinOp.RelaxedMin or VBinOp.RelaxedMax } b => b.Shape,
        _ => null,
    };

    /// <summary>Operand <paramref name="k"/>: lanes of the values where the allowed results part.</summary>
    static V128 Operand(Random rng, Instr op, int k)
    {
        var lanes = new ulong[16];
        Shape shape;
        switch (op)
        {
            case VSwizzlop when k == 1:
                shape = Shape.I8x16;
                for (int j = 0; j < 16; j++) lanes[j] = (ulong)(rng.Next(3) switch { 0 => rng.Next(16), 1 => rng.Next(16, 128), _ => rng.Next(128, 256) });
                break;
            case VCvtop c:
                shape = c.From;
                for (int j = 0; j < shape.Dim; j++) lanes[j] = FloatLane(rng, shape);
                break;
            case VTernop { Op: VTernOp.RelaxedLaneselect } t when k == 2:
                shape = t.Shape;
                int n = lsize(t.Shape.Lane);
                for (int j = 0; j < shape.Dim; j++)
                    lanes[j] = rng.Next(3) switch { 0 => 0, 1 => ulong.MaxValue >> (64 - n), _ => (ulong)rng.NextInt64() >> (64 - n) };
                break;
            case VTernop { Shape.Lane: LaneType.F32 or LaneType.F64 } t: shape = t.Shape; Floats(); break;
            case VBinop { Shape.Lane: LaneType.F32 or LaneType.F64 } b: shape = b.Shape; Floats(); break;
            case VBinop q:
                shape = q.Shape;
                for (int j = 0; j < 8; j++) lanes[j] = rng.Next(3) == 0 ? 0x8000UL : (ulong)rng.Next(0x10000);
                break;
            case VExtternop when k == 2:
                shape = Shape.I32x4;
                for (int j = 0; j < 4; j++) lanes[j] = (uint)rng.Next(int.MinValue, int.MaxValue);
                break;
            default:
                shape = Shape.I8x16;
                for (int j = 0; j < 16; j++) lanes[j] = (ulong)(rng.Next(4) == 0 ? Pick(rng, [0x80, 0x7f, 0xff, 0x81]) : rng.Next(256));
                break;
        }
        return inv_lanes(shape, lanes.AsSpan(0, shape.Dim));

        void Floats()
        {
            for (int j = 0; j < shape.Dim; j++) lanes[j] = FloatLane(rng, shape);
        }
    }

    static T Pick<T>(Random rng, T[] xs) => xs[rng.Next(xs.Length)];

    static ulong FloatLane(Random rng, Shape shape)
    {
        if (shape.Lane == LaneType.F32)
            return BitConverter.SingleToUInt32Bits(rng.Next(3) == 0 ? (float)(rng.NextDouble() * 8 - 4) : Pick(rng,
                [float.NaN, BitConverter.UInt32BitsToSingle(0x7fa0_0001), 0f, -0f, float.PositiveInfinity, float.NegativeInfinity,
                 2147483648f, -2147483904f, 4294967296f, -1f, 1.5f, -0.75f, 1e-45f, 3.4e38f, 16777217f, 0.1f]));
        return BitConverter.DoubleToUInt64Bits(rng.Next(3) == 0 ? rng.NextDouble() * 8 - 4 : Pick(rng,
            [double.NaN, BitConverter.UInt64BitsToDouble(0x7ff4_0000_0000_0001), 0d, -0d, double.PositiveInfinity, double.NegativeInfinity,
             2147483648d, -2147483649d, 4294967296d, -1d, 1.5d, 4294967295.5, 5e-324, 1.7e308, 0.1d, 1d / 3]));
    }

    /// <summary>The probe in function <paramref name="f"/>'s body, or null if the body is not one.</summary>
    public static RelaxedProbe? Of(Func f)
    {
        var code = f.Body.Instrs;
        int k = 0;
        while (k < code.Length && code[k] is VConst) k++;
        if (k == code.Length || !Ops.Any(o => o.Op.Equals(code[k]) && o.Arity == k)) return null;
        return new RelaxedProbe(code[k], [.. code.Take(k).Select(i => ((VConst)i).Value)]);
    }

    /// <summary>Whether the result (lo, hi) is one the spec allows, lane by lane.</summary>
    public bool Allows(ulong lo, ulong hi)
    {
        var shape = ResultShape;
        var r = new V128(lo, hi);
        for (int j = 0; j < shape.Dim; j++)
            if (Lane(j) is { } allowed && !allowed.Contains(lane(shape, r, j))) return false;
        return true;
    }

    Shape ResultShape => Op switch
    {
        VSwizzlop => Shape.I8x16,
        VCvtop c => c.To,
        VTernop t => t.Shape,
        VBinop b => b.Shape,
        VExtbinop e => e.To,
        _ => Shape.I32x4,
    };

    /// <summary>The results lane <paramref name="j"/> may hold; for a NaN, the canonical NaN (the probe canonicalises).
    /// Null (any value) where the spec lets a relaxed truncation give an unspecified one.</summary>
    ulong[]? Lane(int j)
    {
        V128 a = Operands[0], b = Operands.Length > 1 ? Operands[1] : default, c = Operands.Length > 2 ? Operands[2] : default;
        switch (Op)
        {
            case VSwizzlop:
            {
                ulong i = lane(Shape.I8x16, b, j);
                return i < 16 ? [lane(Shape.I8x16, a, (int)i)] : i >= 128 ? [0UL] : [0UL, lane(Shape.I8x16, a, (int)(i % 16))];
            }
            case VCvtop cv:
            {
                if (j >= cv.From.Dim) return [0UL];
                bool signed = cv.Op is VCvtOp.RelaxedTruncS or VCvtOp.RelaxedTruncZeroS;
                double z = cv.From.Lane == LaneType.F32 ? F32((uint)lane(cv.From, a, j)) : F64(lane(cv.From, a, j));
                var exact = signed ? trunc_s(32, z) : trunc_u(32, z);
                return exact is { } e ? [e] : null;
            }
            case VTernop { Op: VTernOp.RelaxedLaneselect } t:
            {
                int n = lsize(t.Shape.Lane);
                ulong i1 = lane(t.Shape, a, j), i2 = lane(t.Shape, b, j), m = lane(t.Shape, c, j);
                return [ibitselect(n, i1, i2, m), ibitselect(n, i1, i2, extend_s(1, n, ishr_u(n, m, (ulong)(n - 1))))];
            }
            case VTernop t:
            {
                bool neg = t.Op == VTernOp.RelaxedNmadd;
                if (t.Shape == Shape.F32x4)
                {
                    float x = F32((uint)lane(t.Shape, a, j)), y = F32((uint)lane(t.Shape, b, j)), z = F32((uint)lane(t.Shape, c, j));
                    if (neg) x = fneg(x);
                    return [Canon32(fadd(fmul(x, y), z)), Canon32(fma(x, y, z))];
                }
                else
                {
                    double x = F64(lane(t.Shape, a, j)), y = F64(lane(t.Shape, b, j)), z = F64(lane(t.Shape, c, j));
                    if (neg) x = fneg(x);
                    return [Canon64(fadd(fmul(x, y), z)), Canon64(fma(x, y, z))];
                }
            }
            case VBinop { Op: VBinOp.RelaxedQ15MulrS }:
            {
                ulong i1 = lane(Shape.I16x8, a, j), i2 = lane(Shape.I16x8, b, j);
                return i1 == 0x8000 && i2 == 0x8000 ? [0x7fffUL, 0x8000UL] : [iq15mulr_sat_s(16, i1, i2)];
            }
            case VBinop mm:
            {
                bool min = mm.Op == VBinOp.RelaxedMin;
                if (mm.Shape == Shape.F32x4)
                {
                    float x = F32((uint)lane(mm.Shape, a, j)), y = F32((uint)lane(mm.Shape, b, j));
                    var strict = Canon32(min ? fmin(x, y) : fmax(x, y));
                    if (float.IsNaN(x) || float.IsNaN(y)) return [strict, Canon32(x), Canon32(y)];
                    if (x == 0 && y == 0 && BitConverter.SingleToUInt32Bits(x) != BitConverter.SingleToUInt32Bits(y)) return [strict, Canon32(x), Canon32(y)];
                    return [strict];
                }
                else
                {
                    double x = F64(lane(mm.Shape, a, j)), y = F64(lane(mm.Shape, b, j));
                    var strict = Canon64(min ? fmin(x, y) : fmax(x, y));
                    if (double.IsNaN(x) || double.IsNaN(y)) return [strict, Canon64(x), Canon64(y)];
                    if (x == 0 && y == 0 && BitConverter.DoubleToUInt64Bits(x) != BitConverter.DoubleToUInt64Bits(y)) return [strict, Canon64(x), Canon64(y)];
                    return [strict];
                }
            }
            case VExtbinop:
                return [Dot(a, b, Sx.S, j), Dot(a, b, Sx.U, j)];
            default:
            {
                // relaxed_dot_add: the i16 dot products (by one choice of the second operand's signedness), pairwise added, plus c
                var results = new List<ulong>();
                foreach (var sx in new[] { Sx.S, Sx.U })
                {
                    long sum = signed(16, Dot(a, b, sx, 2 * j)) + signed(16, Dot(a, b, sx, 2 * j + 1));
                    results.Add((ulong)(uint)(sum + (long)lane(Shape.I32x4, c, j)));
                }
                return [.. results];
            }
        }
    }

    /// <summary>Lane <paramref name="j"/> of i16x8.relaxed_dot_i8x16_i7x16_s with b's lanes extended by <paramref name="sx"/>: saturated.</summary>
    static ulong Dot(V128 a, V128 b, Sx sx, int j)
    {
        long Term(int i) => signed(8, lane(Shape.I8x16, a, i)) * (sx == Sx.S ? signed(8, lane(Shape.I8x16, b, i)) : (long)lane(Shape.I8x16, b, i));
        long sum = Math.Clamp(Term(2 * j) + Term(2 * j + 1), short.MinValue, short.MaxValue);
        return (ulong)sum & 0xffff;
    }

    static float F32(uint bits) => BitConverter.UInt32BitsToSingle(bits);
    static double F64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    static ulong Canon32(float z) => float.IsNaN(z) ? ModuleGenerator.CanonicalNaN32 : BitConverter.SingleToUInt32Bits(z);
    static ulong Canon64(double z) => double.IsNaN(z) ? ModuleGenerator.CanonicalNaN64 : BitConverter.DoubleToUInt64Bits(z);
}
