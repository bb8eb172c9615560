using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Execution;
using Spec.Syntax;
using Mem = Spec.Syntax.Mem;
using Store = Spec.Execution.Store;

namespace Spec.Native.Tests;

// The JIT's vector code against the interpreter. Every form of every vector instruction (each shape and operator the
// validator admits, each lane of the lane operations, shuffles with random lane patterns, every vector load and store
// with offsets and addresses at and beyond the memory's end and beyond 2^32, on i32 and i64 memories) is compiled with
// its operands in locals, in registers, spilled to the frame and as constants (folded, or as constant-pool operands),
// and run on both engines with the same random operands: NaN payloads, zeros of both signs, infinities, subnormals,
// the values at the edges of every integer and conversion range. With canonical NaNs the JIT must agree bit for bit
// (results, traps, memory); without, it must agree except that a NaN lane may be any arithmetic NaN.

[NonParallelizable]
public class VectorDifferentialTests
{
    static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(40);

    static readonly ValType V = ValType.V128, I32 = ValType.I32, I64 = ValType.I64, F32 = ValType.F32, F64 = ValType.F64;
    static readonly Shape[] Shapes = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2, Shape.F32x4, Shape.F64x2];

    // ---- Operands ----

    static uint Bits(float z) => BitConverter.SingleToUInt32Bits(z);
    static ulong Bits(double z) => BitConverter.DoubleToUInt64Bits(z);

    static readonly Gen<ulong> Random64 = IntegerExecutionTests.Word;

    static readonly Gen<ulong> F32Lane = Gen.Frequency(
        (4, Gen.Elements<ulong>(0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFF80_0001,
            0x7FC0_0001, 0xFFD2_3456, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF,
            Bits(1f), Bits(-1f), Bits(0.5f), Bits(-0.5f), Bits(1.5f), Bits(-1.5f), Bits(2.5f), Bits(-2.5f), Bits(0.49999997f),
            Bits(2147483648f), Bits(-2147483648f), Bits(2147483520f), Bits(-2147483904f), Bits(4294967040f), Bits(4294967296f),
            Bits(8388608f), Bits(8388607.5f), Bits(16777216f), Bits(-8388609f))),
        (2, Random64.Select(w => w & 0xFFFF_FFFF)),
        (2, Gen.Choose(-400, 400).Select(k => (ulong)Bits(k / 4f))),
        (1, Gen.Choose(int.MinValue, int.MaxValue).Select(k => (ulong)Bits((float)k))));

    static readonly Gen<ulong> F64Lane = Gen.Frequency(
        (4, Gen.Elements<ulong>(0UL, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
            0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0xFFF0_0000_0000_0001, 0x7FF8_0000_0000_0001, 0xFFFA_BCDE_F012_3456,
            1UL, 0x8000_0000_0000_0001, 0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF,
            Bits(1.0), Bits(-1.0), Bits(0.5), Bits(-0.5), Bits(1.5), Bits(2.5), Bits(-2.5), Bits(0.49999999999999994),
            Bits(2147483647.0), Bits(2147483647.5), Bits(2147483648.0), Bits(-2147483648.0), Bits(-2147483648.5),
            Bits(-2147483649.0), Bits(4294967295.0), Bits(4294967295.5), Bits(4294967296.0), Bits(-0.75),
            Bits(4503599627370496.0), Bits(4503599627370495.5), Bits(3.4028235677973366e38), Bits(1e-40), Bits(1e300))),
        (2, Random64),
        (2, Gen.Choose(-400, 400).Select(k => Bits(k / 4.0))),
        (1, Gen.Choose(int.MinValue, int.MaxValue).Select(k => Bits(k * 3.0))));

    static readonly Gen<ulong> I8Lane = Gen.OneOf(
        Gen.Elements<ulong>(0, 1, 2, 0x0F, 0x10, 0x7F, 0x80, 0x81, 0xFE, 0xFF), Gen.Choose(0, 255).Select(b => (ulong)b), Gen.Choose(0, 33).Select(b => (ulong)b));

    static readonly Gen<ulong> I16Lane = Gen.OneOf(
        Gen.Elements<ulong>(0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0xFF80, 0x4000, 0xC000),
        Gen.Choose(0, 0xFFFF).Select(b => (ulong)b));

    static readonly Gen<ulong> I32Lane = Gen.OneOf(
        Gen.Elements<ulong>(0, 1, 0x7F, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF, 0xFFFF_8000, 0x0000_8000),
        Random64.Select(w => w & 0xFFFF_FFFF));

    static Gen<V128> Lanes(Shape s, Gen<ulong> lane) => Gen.ArrayOf(lane, s.Dim).Select(c => Numerics.inv_lanes(s, c));

    /// <summary>A vector: lanes of one random shape filled with that shape's edge and random values, or random bits.</summary>
    static readonly Gen<V128> Vector = Gen.OneOf(
        Lanes(Shape.I8x16, I8Lane), Lanes(Shape.I16x8, I16Lane), Lanes(Shape.I32x4, I32Lane), Lanes(Shape.I64x2, Random64),
        Lanes(Shape.F32x4, F32Lane), Lanes(Shape.F32x4, F32Lane), Lanes(Shape.F64x2, F64Lane), Lanes(Shape.F64x2, F64Lane),
        from lo in Random64 from hi in Random64 select new V128(lo, hi));

    static Gen<Value> Operand(ValType t) => t switch
    {
        VecValType => Vector.Select(Value.V128),
        NumValType { Type: NumType.I32 } => Gen.OneOf(Random64.Select(w => (uint)w), Gen.Choose(-3, 140).Select(k => (uint)k)).Select(Value.I32),
        NumValType { Type: NumType.I64 } => Random64.Select(Value.I64),
        NumValType { Type: NumType.F32 } => F32Lane.Select(b => Value.F32Bits((uint)b)),
        _ => F64Lane.Select(Value.F64Bits),
    };

    static readonly Gen<Value> Address32 = Gen.OneOf(
        Gen.Elements<uint>(0, 1, 7, 8, 15, 16, 65519, 65520, 65521, 65528, 65532, 65534, 65535, 65536, 65537, 0x7FFF_FFFF,
            0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFF),
        Gen.Choose(0, 65536).Select(k => (uint)k), Gen.Choose(65500, 65600).Select(k => (uint)k), Random64.Select(w => (uint)w))
        .Select(Value.I32);

    static readonly Gen<Value> Address64 = Gen.OneOf(
        Gen.Elements<ulong>(0UL, 1, 15, 65520, 65528, 65535, 65536, 0xFFFF_FFF8, 0xFFFF_FFFF, 0x1_0000_0000, 0x1_0000_FFF0,
            0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFF0, 0xFFFF_FFFF_FFFF_FFFF),
        Gen.Choose(0, 65536).Select(k => (ulong)k), Gen.Choose(65500, 65600).Select(k => (ulong)k), Random64)
        .Select(Value.I64);

    static Gen<Value[]> Operands(IEnumerable<Gen<Value>> gens) =>
        gens.Aggregate(Gen.Constant(Array.Empty<Value>()), (acc, g) => from xs in acc from x in g select (Value[])[.. xs, x]);

    static readonly System.Random Seeded = new(20240611);

    static Value Sample(ValType t) => Operand(t).Sample(1, new Rnd((ulong)Seeded.Next()), 20).Single();

    // ---- Forms ----

    static ValType Unpacked(Shape s) => s.Lane switch
    {
        LaneType.I64 => I64, LaneType.F32 => F32, LaneType.F64 => F64, _ => I32,
    };

    /// <summary>Every vector operator at every shape, and every lane of the lane operators; what does not validate is dropped.</summary>
    static IEnumerable<Instr> Candidates()
    {
        foreach (var op in Enum.GetValues<VVUnOp>()) yield return new VVUnop(op);
        foreach (var op in Enum.GetValues<VVBinOp>()) yield return new VVBinop(op);
        foreach (var op in Enum.GetValues<VVTernOp>()) yield return new VVTernop(op);
        foreach (var op in Enum.GetValues<VVTestOp>()) yield return new VVTestop(op);
        foreach (var s in Shapes)
        {
            foreach (var op in Enum.GetValues<VUnOp>()) yield return new VUnop(s, op);
            foreach (var op in Enum.GetValues<VBinOp>()) yield return new VBinop(s, op);
            foreach (var op in Enum.GetValues<VTernOp>()) yield return new VTernop(s, op);
            foreach (var op in Enum.GetValues<VTestOp>()) yield return new VTestop(s, op);
            foreach (var op in Enum.GetValues<VRelOp>()) yield return new VRelop(s, op);
            foreach (var op in Enum.GetValues<VShiftOp>()) yield return new VShiftop(s, op);
            foreach (var op in Enum.GetValues<VSwizzlOp>()) yield return new VSwizzlop(s, op);
            yield return new VBitmask(s);
            yield return new VSplat(s);
            for (byte lane = 0; lane < s.Dim; lane++)
            {
                yield return new VExtractLane(s, null, lane);
                yield return new VExtractLane(s, Sx.S, lane);
                yield return new VExtractLane(s, Sx.U, lane);
                yield return new VReplaceLane(s, lane);
            }
            foreach (var from in Shapes)
            {
                foreach (var op in Enum.GetValues<VExtUnOp>()) yield return new VExtunop(s, from, op);
                foreach (var op in Enum.GetValues<VExtBinOp>()) yield return new VExtbinop(s, from, op);
                foreach (var op in Enum.GetValues<VExtTernOp>()) yield return new VExtternop(s, from, op);
                foreach (var op in Enum.GetValues<VCvtOp>()) yield return new VCvtop(s, from, op);
                yield return new VNarrow(s, from, Sx.S);
                yield return new VNarrow(s, from, Sx.U);
            }
        }
        // Shuffles: fixed patterns (identity, one operand, broadcast, reversal, interleaving) and random ones.
        byte[][] fixedPatterns =
        [
            [.. Enumerable.Range(0, 16).Select(k => (byte)k)], [.. Enumerable.Range(16, 16).Select(k => (byte)k)],
            [.. Enumerable.Repeat((byte)5, 16)], [.. Enumerable.Range(0, 16).Select(k => (byte)(31 - k))],
            [.. Enumerable.Range(0, 16).Select(k => (byte)(k / 2 + (k % 2) * 16))], [.. Enumerable.Range(0, 16).Select(k => (byte)(15 - k))],
        ];
        foreach (var p in fixedPatterns) yield return new VShuffle(Shape.I8x16, [.. p]);
        for (int k = 0; k < 24; k++)
        {
            int range = k % 3 == 0 ? 16 : 32;
            yield return new VShuffle(Shape.I8x16, [.. Enumerable.Range(0, 16).Select(_ => (byte)Seeded.Next(range))]);
        }
    }

    /// <summary>The operand and result types of a pure vector instruction.</summary>
    static (ValType[] Params, ValType[] Results) Signature(Instr i) => i switch
    {
        VVUnop or VUnop or VExtunop or VCvtop => ([V], [V]),
        VVBinop or VBinop or VRelop or VSwizzlop or VShuffle or VExtbinop or VNarrow => ([V, V], [V]),
        VVTernop or VTernop or VExtternop => ([V, V, V], [V]),
        VVTestop or VTestop or VBitmask => ([V], [I32]),
        VShiftop => ([V, I32], [V]),
        VSplat s => ([Unpacked(s.Shape)], [V]),
        VExtractLane x => ([V], [Unpacked(x.Shape)]),
        VReplaceLane x => ([V, Unpacked(x.Shape)], [V]),
        _ => throw new ArgumentException($"not a pure vector instruction: {i}"),
    };

    static bool Validates(Instr i)
    {
        var (ps, rs) = Signature(i);
        var b = new ModuleBuilder();
        b.Func(ps, rs, [.. ps.Select((_, k) => (Instr)new LocalGet((uint)k)), i]);
        try { Validation.Validator.Validate(b.Build(), Features.All); return true; }
        catch (Validation.ValidationException) { return false; }
    }

    static readonly Instr[] Forms = [.. Candidates().Where(Validates)];

    // ---- Variants: how the operands reach the instruction ----

    /// <summary>A copy of the operand just pushed, in a register of its own (an operation that leaves the value as it was).</summary>
    static Instr[] Fresh(ValType t) => t switch
    {
        VecValType => [new VVUnop(VVUnOp.Not), new VVUnop(VVUnOp.Not)],
        NumValType { Type: NumType.I32 } => [Const.I32(0), new Binop(NumType.I32, BinOp.Or)],
        NumValType { Type: NumType.I64 } => [Const.I64(0), new Binop(NumType.I64, BinOp.Or)],
        NumValType { Type: NumType.F32 } => [new Unop(NumType.F32, UnOp.Neg), new Unop(NumType.F32, UnOp.Neg)],
        _ => [new Unop(NumType.F64, UnOp.Neg), new Unop(NumType.F64, UnOp.Neg)],
    };

    static Instr ConstOf(Value v) => v.Kind switch
    {
        ValueKind.I32 => Const.I32(v.AsI32),
        ValueKind.I64 => Const.I64(v.AsI64),
        ValueKind.F32 => new Const(NumType.F32, v.Bits),
        ValueKind.F64 => new Const(NumType.F64, v.Bits),
        _ => new VConst(v.AsV128),
    };

    /// <summary>One compiled way of running a form: its export, and for each operand either the constant it was
    /// given or null (then it is a parameter, in order).</summary>
    sealed record Variant(string Name, string Export, Value?[] Fixed);

    const uint SpillFunc = 0;

    /// <summary>Adds the variants of <paramref name="i"/> with operands <paramref name="ps"/> (constants as given by
    /// <paramref name="constants"/>: a list of operand tuples, null where the operand stays a parameter).</summary>
    static List<Variant> AddVariants(ModuleBuilder b, string tag, Instr i, ValType[] ps, ValType[] rs, IEnumerable<Value?[]> constants)
    {
        var list = new List<Variant>();
        string Name(string v) => $"{tag}:{list.Count}:{v}";
        Instr[] Get(int k) => [new LocalGet((uint)k)];
        // In locals (pinned registers or their homes).
        var e = Name("locals");
        b.Func(ps, rs, [.. Enumerable.Range(0, ps.Length).SelectMany(Get), i], e);
        list.Add(new Variant("locals", e, new Value?[ps.Length]));
        // In their homes: busier locals take every register locals may be pinned to.
        e = Name("homes");
        ValType[] busy = [.. Enumerable.Repeat(F64, 7), .. Enumerable.Repeat(I64, 6)];
        var touch = Enumerable.Range(ps.Length, busy.Length).SelectMany(k => (Instr[])[new LocalGet((uint)k), new Drop(), new LocalGet((uint)k), new Drop()]);
        b.Func(ps, rs, [.. touch, .. Enumerable.Range(0, ps.Length).SelectMany(Get), i], e, busy);
        list.Add(new Variant("homes", e, new Value?[ps.Length]));
        // One local for every operand of its type (the instruction's operands alias).
        e = Name("aliased");
        b.Func(ps, rs, [.. Enumerable.Range(0, ps.Length).SelectMany(k => Get(Array.FindIndex(ps, t => t == ps[k]))), i], e);
        list.Add(new Variant("aliased", e, new Value?[ps.Length]));
        // In registers of their own.
        e = Name("registers");
        b.Func(ps, rs, [.. Enumerable.Range(0, ps.Length).SelectMany(k => Get(k).Concat(Fresh(ps[k]))), i], e);
        list.Add(new Variant("registers", e, new Value?[ps.Length]));
        // Spilled to their slots (a call spills every operand).
        e = Name("spilled");
        b.Func(ps, rs, [.. Enumerable.Range(0, ps.Length).SelectMany(k => Get(k).Concat(Fresh(ps[k]))), new Call(SpillFunc), i], e);
        list.Add(new Variant("spilled", e, new Value?[ps.Length]));
        foreach (var fixedOps in constants)
        {
            e = Name("constants");
            var free = Enumerable.Range(0, ps.Length).Where(k => fixedOps[k] is null).ToArray();
            var body = new List<Instr>();
            for (int k = 0; k < ps.Length; k++)
                body.Add(fixedOps[k] is { } c ? ConstOf(c) : new LocalGet((uint)Array.IndexOf(free, k)));
            body.Add(i);
            b.Func([.. free.Select(k => ps[k])], rs, [.. body], e);
            list.Add(new Variant("constants " + string.Join(",", fixedOps.Select(c => c?.ToString() ?? "_")), e, fixedOps));
        }
        return list;
    }

    /// <summary>Operand tuples with some operands constant: all of them (folded), each one alone, and for shifts every interesting count.</summary>
    static IEnumerable<Value?[]> Constants(Instr i, ValType[] ps)
    {
        for (int n = 0; n < 2; n++) yield return [.. ps.Select(t => (Value?)Sample(t))];
        if (ps.Length > 1)
            for (int k = 0; k < ps.Length; k++)
                for (int n = 0; n < 2; n++)
                {
                    var t = new Value?[ps.Length];
                    t[k] = Sample(ps[k]);
                    yield return t;
                }
        if (i is VShiftop)
            foreach (int count in (int[])[0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, -1, int.MinValue])
                yield return [null, Value.I32(count)];
    }

    // ---- Memory forms ----

    static readonly ulong[] Offsets32 = [0, 1, 15, 65521, 65535, 65536, 0x7FFF_FFFF, 0xFFFF_FFFF];
    static readonly ulong[] Offsets64 = [0, 9, 65535, 0xFFFF_FFFF, 0x1_0000_0000, 0xFFFF_FFFF_FFFF_FFF8];

    static readonly VLoadOp?[] LoadOps =
    [
        null,
        new VLoadShape(Sz.S8, 8, Sx.S), new VLoadShape(Sz.S8, 8, Sx.U), new VLoadShape(Sz.S16, 4, Sx.S),
        new VLoadShape(Sz.S16, 4, Sx.U), new VLoadShape(Sz.S32, 2, Sx.S), new VLoadShape(Sz.S32, 2, Sx.U),
        new VLoadSplat(Sz.S8), new VLoadSplat(Sz.S16), new VLoadSplat(Sz.S32), new VLoadSplat(Sz.S64),
        new VLoadZero(Sz.S32), new VLoadZero(Sz.S64),
    ];

    /// <summary>Every vector load and store at every offset of its memory's list, and every lane of the lane forms
    /// (each at one of the offsets, in turn).</summary>
    static IEnumerable<Instr> MemoryForms(uint mem, AddrType at)
    {
        var offsets = at == AddrType.I32 ? Offsets32 : Offsets64;
        foreach (var op in LoadOps)
            foreach (var o in offsets)
                yield return new VLoad(VecType.V128, op, mem, new MemArg(0, o));
        foreach (var o in offsets) yield return new VStore(VecType.V128, mem, new MemArg(0, o));
        int k = 0;
        foreach (var size in (Sz[])[Sz.S8, Sz.S16, Sz.S32, Sz.S64])
            for (byte lane = 0; lane < 128 / (int)size; lane++, k++)
            {
                yield return new VLoadLane(VecType.V128, size, mem, new MemArg(0, offsets[k % offsets.Length]), lane);
                yield return new VStoreLane(VecType.V128, size, mem, new MemArg(0, offsets[(k + 3) % offsets.Length]), lane);
            }
    }

    static (ValType[] Params, ValType[] Results) MemorySignature(Instr i, AddrType at)
    {
        var addr = at == AddrType.I64 ? I64 : I32;
        return i switch
        {
            VLoad => ([addr], [V]),
            VLoadLane => ([addr, V], [V]),
            _ => ([addr, V], []),
        };
    }

    /// <summary>Constant addresses: in bounds (where the check is left out), at and beyond the end, beyond 2^32.</summary>
    static IEnumerable<Value?[]> ConstantAddresses(AddrType at, int operands)
    {
        ulong[] addresses = at == AddrType.I32 ? [0, 65520, 65529, 65535, 65536, 0xFFFF_FFF0] : [0, 65520, 65535, 0x1_0000_0000, 0xFFFF_FFFF_FFFF_FFF0];
        foreach (var x in addresses)
        {
            var t = new Value?[operands];
            t[0] = at == AddrType.I32 ? Value.I32((uint)x) : Value.I64(x);
            yield return t;
        }
    }

    static byte[] Noise(int n, int seed)
    {
        var bytes = new byte[n];
        new System.Random(seed).NextBytes(bytes);
        return bytes;
    }

    // ---- Running both engines ----

    sealed class Engines
    {
        public readonly Store Interp = new(), Canonical = new(new global::Spec.Native.Jit(new JitOptions { CanonicalNaNs = true })), Native = new(new global::Spec.Native.Jit());
        public readonly ModuleInstance I, C, N;

        public Engines(ModuleBuilder b)
        {
            var m = b.Build();
            I = Instantiation.Instantiate(Interp, m, Array.Empty<ExternVal>(), Features.All);
            C = Instantiation.Instantiate(Canonical, m, Array.Empty<ExternVal>(), Features.All);
            N = Instantiation.Instantiate(Native, m, Array.Empty<ExternVal>(), Features.All);
            foreach (var inst in new[] { C, N })
                Assert.That(global::Spec.Native.Jit.Statistics(inst).NotCompiled, Is.Zero, "every function is compiled");
        }
    }

    /// <summary>The results, or the trap, of one call.</summary>
    static (IReadOnlyList<Value>? Results, string? Trap) Run(Store s, ModuleInstance m, string name, Value[] args)
    {
        try { return (ModuleBuilder.Call(s, m, name, args), null); }
        catch (TrapException t) { return (null, $"trap {t.Code}"); }
    }

    static string Show(IReadOnlyList<Value>? r, string? trap) => trap ?? string.Join(" ", r!.Select(v => v.Kind == ValueKind.V128 ? $"{v.Hi:x16}{v.Bits:x16}" : $"{v.Kind}:{v.Bits:x}"));

    /// <summary>The float lanes an instruction computes by IEEE arithmetic, where a NaN's bits are the engine's choice.</summary>
    static Shape? ArithmeticLanes(Instr i) => i switch
    {
        VUnop { Op: VUnOp.Sqrt or VUnOp.Ceil or VUnOp.Floor or VUnOp.Trunc or VUnOp.Nearest } u => u.Shape,
        VBinop { Op: VBinOp.Add or VBinOp.Sub or VBinOp.Mul or VBinOp.Div or VBinOp.Min or VBinOp.Max or VBinOp.RelaxedMin or VBinOp.RelaxedMax } b
            when b.Shape.Lane is LaneType.F32 or LaneType.F64 => b.Shape,
        VTernop { Op: VTernOp.RelaxedMadd or VTernOp.RelaxedNmadd } t => t.Shape,
        VCvtop { Op: VCvtOp.DemoteZero or VCvtOp.PromoteLow } c => c.To,
        _ => null,
    };

    static bool IsNaN(Shape s, ulong lane) => s.Lane == LaneType.F32 ? float.IsNaN(BitConverter.UInt32BitsToSingle((uint)lane)) : double.IsNaN(BitConverter.UInt64BitsToDouble(lane));

    static bool IsArithmeticNaN(Shape s, ulong lane) =>
        IsNaN(s, lane) && (s.Lane == LaneType.F32 ? (lane & 0x0040_0000) != 0 : (lane & 0x0008_0000_0000_0000) != 0);

    /// <summary>Without canonical NaNs: the same, except that where the interpreter has a NaN lane the JIT may have any arithmetic NaN.</summary>
    static bool AgreeUpToNaNs(Shape? lanes, IReadOnlyList<Value>? expected, IReadOnlyList<Value>? actual)
    {
        if (expected is null || actual is null || lanes is not { } s) return false;
        var x = expected[0].AsV128;
        var y = actual[0].AsV128;
        for (int k = 0; k < s.Dim; k++)
        {
            ulong a = Numerics.lane(s, x, k), b = Numerics.lane(s, y, k);
            if (a != b && !(IsNaN(s, a) && IsArithmeticNaN(s, b))) return false;
        }
        return true;
    }

    /// <summary>Null when the memories of <paramref name="x"/> and <paramref name="y"/> hold the same bytes, else where they first differ.</summary>
    static string? MemoryDifference(ModuleInstance x, ModuleInstance y)
    {
        for (int k = 0; k < x.Mems.Count; k++)
        {
            var a = x.Mems[k].Span(0, (int)x.Mems[k].Length);
            var b = y.Mems[k].Span(0, (int)y.Mems[k].Length);
            int at = a.CommonPrefixLength(b);
            GC.KeepAlive(x.Mems[k]); // the spans do not keep the memories' pages alive
            GC.KeepAlive(y.Mems[k]);
            if (at < a.Length || a.Length != b.Length) return $"memory {k} differs at byte {at}";
        }
        return null;
    }

    static void Check(Engines e, Instr instr, Variant v, Value[] operands, bool stores = false)
    {
        // The aliased variant reads the first operand of each type for all of that type: show what it computed on.
        if (v.Name == "aliased") operands = [.. operands.Select(o => operands.First(p => p.Kind == o.Kind))];
        var args = operands.Where((_, k) => v.Fixed[k] is null).ToArray();
        var (ri, ti) = Run(e.Interp, e.I, v.Export, args);
        var (rc, tc) = Run(e.Canonical, e.C, v.Export, args);
        string What() => $"{instr} ({v.Name}) on {string.Join(", ", operands.Select((o, k) => (v.Fixed[k] ?? o).ToString()))}";
        Assert.That(Show(rc, tc), Is.EqualTo(Show(ri, ti)), () => $"JIT (canonical NaNs) against the interpreter: {What()}");
        if (stores) Assert.That(MemoryDifference(e.I, e.C), Is.Null, () => $"after {What()}");
        var (rn, tn) = Run(e.Native, e.N, v.Export, args);
        if (Show(rn, tn) != Show(ri, ti))
            Assert.That(AgreeUpToNaNs(ArithmeticLanes(instr), ri, rn), () => $"JIT against the interpreter: {What()}: {Show(rn, tn)}, expected {Show(ri, ti)}");
        if (stores) Assert.That(MemoryDifference(e.I, e.N), Is.Null, () => $"after {What()} (JIT)");
    }

    // ---- The tests ----

    [Test]
    public void Every_vector_operator_form_is_enumerated()
    {
        // As many as the binary format's vector opcodes without memory, constant or shuffle immediates (those with a lane
        // index counted once per lane): a guard against forms the enumeration would silently drop.
        int lanes = Forms.Count(f => f is VExtractLane or VReplaceLane);
        Assert.That(lanes, Is.EqualTo(2 * (16 + 8) + 4 + 2 + 4 + 2 + (16 + 8 + 4 + 2 + 4 + 2)));
        Assert.That(Forms.Count(f => f is not (VExtractLane or VReplaceLane or VShuffle)), Is.EqualTo(218));
    }

    [Test]
    public void Every_pure_vector_instruction_agrees_with_the_interpreter()
    {
        var b = new ModuleBuilder();
        b.Func([], [], []); // SpillFunc
        var cases = new List<(Instr Instr, ValType[] Params, List<Variant> Variants)>();
        foreach (var i in Forms)
        {
            var (ps, rs) = Signature(i);
            cases.Add((i, ps, AddVariants(b, cases.Count.ToString(), i, ps, rs, [.. Constants(i, ps)])));
        }
        var e = new Engines(b);
        foreach (var (instr, ps, variants) in cases)
            Prop.ForAll(Operands(ps.Select(Operand)).ToArbitrary(), operands =>
            {
                foreach (var v in variants) Check(e, instr, v, operands);
            }).Check(Runs);
    }

    [TestCase(AddrType.I32, AddrType.I64)]
    [TestCase(AddrType.I64, AddrType.I32)]
    public void Every_vector_load_and_store_agrees_with_the_interpreter_in_and_out_of_bounds(AddrType mem0, AddrType mem1)
    {
        // Two one-page memories, of both address types: memory 0 is reached through its pinned registers, memory 1 by address.
        var b = new ModuleBuilder();
        b.Func([], [], []); // SpillFunc
        AddrType[] types = [mem0, mem1];
        for (uint m = 0; m < 2; m++)
        {
            b.Memory(1, types[m]);
            b.ActiveData(m, 0, Noise(65536, (int)m + 1), types[m]);
        }
        var cases = new List<(Instr Instr, AddrType At, ValType[] Params, List<Variant> Variants)>();
        for (uint m = 0; m < 2; m++)
            foreach (var i in MemoryForms(m, types[m]))
            {
                var (ps, rs) = MemorySignature(i, types[m]);
                cases.Add((i, types[m], ps, AddVariants(b, cases.Count.ToString(), i, ps, rs, [.. ConstantAddresses(types[m], ps.Length)])));
            }
        var e = new Engines(b);
        foreach (var (instr, at, ps, variants) in cases)
        {
            var gens = ps.Select((t, k) => k == 0 ? (at == AddrType.I32 ? Address32 : Address64) : Operand(t));
            bool stores = instr is VStore or VStoreLane;
            Prop.ForAll(Operands(gens).ToArbitrary(), operands =>
            {
                foreach (var v in variants) Check(e, instr, v, operands, stores);
            }).Check(Runs);
        }
    }

    [Test]
    public void A_function_of_vector_instructions_calls_nothing()
    {
        // Every form with its operands in locals, homes, registers and slots: the code between the prologue and the
        // out-of-line paths (where the stack-limit check calls the runtime) holds no call.
        var b = new ModuleBuilder();
        b.Func([], [], []);
        b.Memory(1);
        int n = 0;
        foreach (var i in Forms.Concat(MemoryForms(0, AddrType.I32)))
        {
            var (ps, rs) = i is VLoad or VLoadLane or VStore or VStoreLane ? MemorySignature(i, AddrType.I32) : Signature(i);
            AddVariants(b, (n++).ToString(), i, ps, rs, []);
        }
        var store = new Store(new global::Spec.Native.Jit(new JitOptions { Listing = true }));
        var inst = Instantiation.Instantiate(store, b.Build(), Array.Empty<ExternVal>(), Features.All);
        var listings = global::Spec.Native.Jit.Listings(inst);
        Assert.That(listings, Has.Count.EqualTo(1 + 5 * (Forms.Length + MemoryForms(0, AddrType.I32).Count())));
        int checkedFunctions = 0;
        foreach (var l in listings.Skip(1))
        {
            Assert.That(l.NotCompiled, Is.Null);
            var spill = l.Marks.Where(m => m.Instr is Call).Select(m => m.Offset).ToHashSet();
            int end = l.Marks.First(m => m.Note == "out-of-line paths and trap stubs").Offset;
            var body = Disassembly.Lines(l.Code).Where(x => x.Offset < end).ToList();
            // The spilled variant's call of the empty function is the only call there may be, and it is a Wasm call.
            var calls = body.Where(x => x.Text.StartsWith("call")).ToList();
            if (l.Marks.Any(m => m.Instr is Call)) { Assert.That(calls, Has.Count.EqualTo(1)); continue; }
            Assert.That(calls, Is.Empty, () => $"function {l.Function}:\n{Disassembly.Print(l.Code)}");
            checkedFunctions++;
        }
        Assert.That(checkedFunctions, Is.EqualTo(4 * (Forms.Length + MemoryForms(0, AddrType.I32).Count())));
    }
}
