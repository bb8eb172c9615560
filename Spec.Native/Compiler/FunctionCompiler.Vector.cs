using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Mem = Spec.Native.X64.Mem;

namespace Spec.Native.Compiler;

// §4.4.3 Vector instructions (spectec 4.3-execution.instructions, "Vector instructions"): each operator as the SSE
// sequence (SSE4.1 at most) that computes exactly the spec's $vvbinop_, $vunop_, $vbinop_, $vcvtop__, ... lane by
// lane; operators x86 lacks (i64x2 mul, abs, shr_s and gt_s, byte shifts, popcnt, unsigned conversions, saturating
// truncations) are composed from the ones it has. Operators whose operands are all constants are folded by the
// runtime's own code for the instruction (Operations.Execute over Numerics), so a folded result is the interpreter's.
// Float lanes: an operator the interpreter computes by IEEE arithmetic (add, sub, mul, div, sqrt, rounding, min, max,
// madd, promote, demote) gives a NaN as x86 does (an arithmetic or canonical NaN, as the spec allows), and with
// CanonicalNaNs every NaN lane becomes +NaN(canon); abs, neg, pmin, pmax, lanes and bit operations keep the bits.
// Relaxed SIMD makes the interpreter's choice, every R_* = 0 (Relaxed.cs): unfused madd, fmin/fmax, saturating q15mulr and trunc, swizzle 0 past 15, signed dot, bitselect.

internal sealed partial class FunctionCompiler
{
    void Vector(Instr instr)
    {
        if (FoldVector(instr)) return;
        switch (instr)
        {
            case VVUnop: VectorNot(); break;
            case VVBinop b: VectorBitwise(b.Op); break;
            case VVTernop: Bitselect(); break;
            case VVTestop: AnyTrue(); break;
            case VUnop u: VectorUnop(u.Shape, u.Op); break;
            case VBinop b: VectorBinop(b.Shape, b.Op); break;
            case VTernop t: VectorTernop(t.Shape, t.Op); break;
            case VTestop t: AllTrue(t.Shape); break;
            case VRelop r: VectorRelop(r.Shape, r.Op); break;
            case VShiftop s: VectorShift(s.Shape, s.Op); break;
            case VBitmask m: Bitmask(m.Shape); break;
            case VSwizzlop: Swizzle(); break;
            case VShuffle s: Shuffle(s.Lanes); break;
            case VExtunop e: ExtaddPairwise(e.From, e.Op == VExtUnOp.ExtaddPairwiseS); break;
            case VExtbinop e: VectorExtbinop(e.To, e.Op); break;
            case VExtternop: RelaxedDotAdd(); break;
            case VNarrow n: Narrow(n.To, n.Sx); break;
            case VCvtop c: VectorCvtop(c.To, c.From, c.Op); break;
            case VSplat s: Splat(s.Shape); break;
            case VExtractLane x: ExtractLane(x.Shape, x.Sx, x.Lane); break;
            case VReplaceLane x: ReplaceLane(x.Shape, x.Lane); break;
            case VLoad l: VectorLoad(l); break;
            case VLoadLane l: VectorLoadLane(l); break;
            case VStore s: VectorStore(s); break;
            case VStoreLane s: VectorStoreLane(s); break;
            default: throw new InvalidOperationException($"{instr.GetType().Name} is not a vector instruction");
        }
    }

    /// <summary>A pure vector instruction whose operands are all constants becomes the constant it computes.</summary>
    bool FoldVector(Instr instr)
    {
        if (instr is VLoad or VLoadLane or VStore or VStoreLane) return false;
        var (operands, results) = Shape(instr);
        for (int p = sp - operands; p < sp; p++)
            if (stack[p].Kind != Kind.Const) return false;
        var args = new Value[operands];
        for (int k = 0; k < operands; k++) args[k] = ConstantValue(stack[sp - operands + k]);
        sp -= operands;
        var r = Operations.Execute(mc.Module.Store, mc.Instance, instr, args)[0];
        Push(Entry.Constant(results[0], r.Bits, r.Hi));
        return true;
    }

    static Value ConstantValue(in Entry e) => e.Class switch
    {
        VClass.I32 => Value.I32((uint)e.Bits),
        VClass.I64 => Value.I64(e.Bits),
        VClass.F32 => Value.F32Bits((uint)e.Bits),
        VClass.F64 => Value.F64Bits(e.Bits),
        _ => Value.V128(new V128(e.Bits, e.Hi)),
    };

    // ---- Operands and constants ----

    /// <summary>A 16-byte constant of the pool as a memory operand (16-byte aligned, as packed operations need).</summary>
    Mem K(ulong lo, ulong hi) => Mem.Rip(mc.Constant(lo, hi));

    Mem Splat8(byte b) => K(0x0101_0101_0101_0101UL * b, 0x0101_0101_0101_0101UL * b);
    Mem Splat16(ushort w) => K(0x0001_0001_0001_0001UL * w, 0x0001_0001_0001_0001UL * w);
    Mem Splat32(uint d) => K(((ulong)d << 32) | d, ((ulong)d << 32) | d);
    Mem Splat64(ulong q) => K(q, q);
    Mem Ones => K(ulong.MaxValue, ulong.MaxValue);

    /// <summary>A new register holding a copy of <paramref name="e"/>, which stays readable.</summary>
    Xmm Copy(in Entry e)
    {
        var x = AllocXmm();
        LoadXmm(x, e);
        return x;
    }

    /// <summary>dst = dst op src, src read where it is and left as it was (unlike <see cref="SseWith"/>, its register
    /// stays taken, so it can be read again; it is given up with <see cref="Release(in Entry)"/>).</summary>
    void With(SseOp op, Xmm dst, in Entry src)
    {
        if (src.Kind == Kind.Reg) a.Sse(op, dst, src.Xmm);
        else SseWith(op, dst, src);
    }

    /// <summary>dst = dst op src, src read from wherever it is; then src is consumed.</summary>
    Xmm Apply(SseOp op, in Entry dst, in Entry src)
    {
        var d = OwnXmm(dst);
        With(op, d, src);
        Release(src);
        return d;
    }

    /// <summary><see cref="Apply"/> for a commutative operation: the operand that owns a register is overwritten.</summary>
    Xmm ApplyCommutative(SseOp op, Entry x, Entry y)
    {
        if (x.Kind != Kind.Reg && y.Kind == Kind.Reg) (x, y) = (y, x);
        return Apply(op, x, y);
    }

    /// <summary>op d, src into a register of its own (src's register when it owns one): for operations that overwrite all of d.</summary>
    Xmm UnaryInto(SseOp op, in Entry src)
    {
        if (src.Kind == Kind.Reg) { a.Sse(op, src.Xmm, src.Xmm); return src.Xmm; }
        var d = AllocXmm();
        With(op, d, src);
        return d;
    }

    /// <summary><see cref="UnaryInto"/> for an operation with an imm8 (pshufd, roundps).</summary>
    Xmm UnaryImmInto(SseOp op, in Entry src, byte imm)
    {
        if (src.Kind == Kind.Reg) { a.SseImm(op, src.Xmm, src.Xmm, imm); return src.Xmm; }
        var d = AllocXmm();
        SseImmWith(op, d, src, imm);
        return d;
    }

    /// <summary>dst = op(dst, src, imm), src taken as <see cref="With"/> takes it (and left as it was).</summary>
    void SseImmWith(SseOp op, Xmm dst, in Entry src, byte imm)
    {
        if (src.Kind == Kind.Reg) a.SseImm(op, dst, src.Xmm, imm);
        else if (src.Kind == Kind.Const) a.SseImm(op, dst, K(src.Bits, src.Hi), imm);
        else if (MemoryOf(src) is { } m) a.SseImm(op, dst, m, imm);
        else
        {
            var x = ReadXmm(src); // a local in its register
            a.SseImm(op, dst, x, imm);
            ReleaseRead(src, x);
        }
    }

    void Not(Xmm x) => a.Sse(SseOp.Pxor, x, Ones);

    void PushV128(Xmm x) => PushXmm(VClass.V128, x);

    static bool IsF32(Shape s) => s.Lane == LaneType.F32;

    /// <summary>With the canonical-NaN option, every NaN lane of <paramref name="x"/> becomes +NaN(canon), bit for bit
    /// the interpreter's; returns the register holding the result (<paramref name="x"/> is given up).</summary>
    Xmm CanonicalLanes(bool f32, Xmm x)
    {
        if (!mc.CanonicalNaNs) return x;
        var m = AllocXmm();
        a.Sse(SseOp.Movaps, m, x);
        a.SseImm(f32 ? SseOp.Cmpps : SseOp.Cmppd, m, x, 3); // unordered: all ones in the NaN lanes
        NanLanesToCanonical(f32, m, x);
        Release(x);
        return m;
    }

    /// <summary>m = (NaN-lane mask m) ? +NaN(canon) : x. The NaN lanes of x are set to all ones first, so clearing
    /// the bits a canonical NaN lacks (sign and payload below the quiet bit) leaves exactly it.</summary>
    void NanLanesToCanonical(bool f32, Xmm m, Xmm x)
    {
        a.Sse(f32 ? SseOp.Orps : SseOp.Orpd, x, m);
        a.Sse(f32 ? SseOp.Andps : SseOp.Andpd, m, f32 ? Splat32(~Numerics.CanonicalNaN32Bits) : Splat64(~Numerics.CanonicalNaN64Bits));
        a.Sse(f32 ? SseOp.Andnps : SseOp.Andnpd, m, x);
    }

    // ---- v128 bitwise (Step_pure/vvunop, vvbinop, vvternop, vvtestop) ----

    void VectorNot()
    {
        var d = OwnXmm(Pop());
        Not(d);
        PushV128(d);
    }

    void VectorBitwise(VVBinOp op)
    {
        var rhs = Pop();
        var lhs = Pop();
        switch (op)
        {
            case VVBinOp.And: PushV128(ApplyCommutative(SseOp.Pand, lhs, rhs)); return;
            case VVBinOp.Or: PushV128(ApplyCommutative(SseOp.Por, lhs, rhs)); return;
            case VVBinOp.Xor: PushV128(ApplyCommutative(SseOp.Pxor, lhs, rhs)); return;
            default: PushV128(Apply(SseOp.Pandn, rhs, lhs)); return; // pandn d, s is ~d & s: lhs & ~rhs
        }
    }

    /// <summary>ibitselect(v1, v2, c) = ((v1 ^ v2) &amp; c) ^ v2: v1's bits where c is 1, v2's elsewhere.</summary>
    void Bitselect()
    {
        var c = Pop();
        var v2 = Pop();
        var v1 = Pop();
        var d = OwnXmm(v1);
        With(SseOp.Pxor, d, v2);
        With(SseOp.Pand, d, c);
        With(SseOp.Pxor, d, v2);
        Release(c);
        Release(v2);
        PushV128(d);
    }

    /// <summary>any_true: ptest sets ZF when no bit is set; the result stays in the flags.</summary>
    void AnyTrue()
    {
        var e = Pop();
        var x = ReadXmm(e);
        a.Sse(SseOp.Ptest, x, x);
        ReleaseRead(e, x);
        Release(e);
        Push(Entry.Condition(Cond.NE));
    }

    // ---- Lane operators ----

    static SseOp ByLane(Shape s, SseOp i8, SseOp i16, SseOp i32, SseOp i64) => s.Lane switch
    {
        LaneType.I8 => i8, LaneType.I16 => i16, LaneType.I32 or LaneType.F32 => i32, _ => i64,
    };

    static SseOp Pcmpeq(Shape s) => ByLane(s, SseOp.Pcmpeqb, SseOp.Pcmpeqw, SseOp.Pcmpeqd, SseOp.Pcmpeqq);

    /// <summary>Step_pure/vtestop (all_true): no lane equals zero, i.e. comparing with zero gives an all-zero mask.</summary>
    void AllTrue(Shape s)
    {
        var e = Pop();
        var t = AllocXmm();
        a.Sse(SseOp.Pxor, t, t);
        With(Pcmpeq(s), t, e);
        Release(e);
        a.Sse(SseOp.Ptest, t, t);
        Release(t);
        Push(Entry.Condition(Cond.E));
    }

    /// <summary>Step_pure/vbitmask: the sign bit of each lane; i16 lanes are narrowed to bytes first (signed
    /// saturation keeps the sign), i32 and i64 lanes have their own move-mask.</summary>
    void Bitmask(Shape s)
    {
        var e = Pop();
        var r = AllocGpr();
        if (s.Lane == LaneType.I16)
        {
            var x = OwnXmm(e);
            a.Sse(SseOp.Packsswb, x, x);
            a.Pmovmskb(r, x);
            a.Shift(ShiftOp.Shr, Width.W32, r, 8);
            Release(x);
        }
        else
        {
            var x = ReadXmm(e);
            switch (s.Lane)
            {
                case LaneType.I8: a.Pmovmskb(r, x); break;
                case LaneType.I32: a.Movmskps(r, x); break;
                default: a.Movmskpd(r, x); break;
            }
            ReleaseRead(e, x);
            Release(e);
        }
        PushGpr(VClass.I32, r);
    }

    /// <summary>Step_pure/vunop-val.</summary>
    void VectorUnop(Shape s, VUnOp op)
    {
        var e = Pop();
        bool f32 = IsF32(s);
        switch (op)
        {
            case VUnOp.Abs when s.Lane is LaneType.F32 or LaneType.F64:
            {
                // Bit operations on the sign: NaN payloads stay.
                var d = OwnXmm(e);
                a.Sse(f32 ? SseOp.Andps : SseOp.Andpd, d, f32 ? Splat32(0x7FFF_FFFF) : Splat64(0x7FFF_FFFF_FFFF_FFFF));
                PushV128(d);
                return;
            }
            case VUnOp.Neg when s.Lane is LaneType.F32 or LaneType.F64:
            {
                var d = OwnXmm(e);
                a.Sse(f32 ? SseOp.Xorps : SseOp.Xorpd, d, f32 ? Splat32(0x8000_0000) : Splat64(0x8000_0000_0000_0000));
                PushV128(d);
                return;
            }
            case VUnOp.Abs when s.Lane == LaneType.I64:
            {
                // (x ^ m) - m with m the sign of each lane, spread from the high halves.
                var d = OwnXmm(e);
                var m = AllocXmm();
                a.SseImm(SseOp.Pshufd, m, d, 0xF5);
                a.ShiftImm(SseShiftOp.Psrad, m, 31);
                a.Sse(SseOp.Pxor, d, m);
                a.Sse(SseOp.Psubq, d, m);
                Release(m);
                PushV128(d);
                return;
            }
            case VUnOp.Abs:
                PushV128(UnaryInto(ByLane(s, SseOp.Pabsb, SseOp.Pabsw, SseOp.Pabsd, SseOp.Pabsd), e));
                return;
            case VUnOp.Neg:
            {
                var d = AllocXmm();
                a.Sse(SseOp.Pxor, d, d);
                With(ByLane(s, SseOp.Psubb, SseOp.Psubw, SseOp.Psubd, SseOp.Psubq), d, e);
                Release(e);
                PushV128(d);
                return;
            }
            case VUnOp.Popcnt:
            {
                // Each nibble's count looked up by pshufb in a 16-entry table; the two added.
                var lo = OwnXmm(e);
                var hi = AllocXmm();
                a.Sse(SseOp.Movdqa, hi, lo);
                a.ShiftImm(SseShiftOp.Psrlw, hi, 4);
                a.Sse(SseOp.Pand, hi, Splat8(0x0F));
                a.Sse(SseOp.Pand, lo, Splat8(0x0F));
                var table = K(0x0302_0201_0201_0100UL, 0x0403_0302_0302_0201UL);
                var r = AllocXmm();
                a.Sse(SseOp.Movdqa, r, table);
                a.Sse(SseOp.Pshufb, r, lo);
                a.Sse(SseOp.Movdqa, lo, table);
                a.Sse(SseOp.Pshufb, lo, hi);
                a.Sse(SseOp.Paddb, r, lo);
                Release(lo);
                Release(hi);
                PushV128(r);
                return;
            }
            case VUnOp.Sqrt:
                PushV128(CanonicalLanes(f32, UnaryInto(f32 ? SseOp.Sqrtps : SseOp.Sqrtpd, e)));
                return;
            default:
            {
                // ceil, floor, trunc, nearest: roundps/pd, exceptions suppressed.
                byte mode = op switch { VUnOp.Nearest => 0, VUnOp.Floor => 1, VUnOp.Ceil => 2, _ => 3 };
                PushV128(CanonicalLanes(f32, UnaryImmInto(f32 ? SseOp.Roundps : SseOp.Roundpd, e, (byte)(mode | 8))));
                return;
            }
        }
    }

    /// <summary>Step_pure/vbinop-val.</summary>
    void VectorBinop(Shape s, VBinOp op)
    {
        if (s.Lane is LaneType.F32 or LaneType.F64) { FloatLanesBinop(IsF32(s), op); return; }
        var rhs = Pop();
        var lhs = Pop();
        switch (op)
        {
            case VBinOp.Add: PushV128(ApplyCommutative(ByLane(s, SseOp.Paddb, SseOp.Paddw, SseOp.Paddd, SseOp.Paddq), lhs, rhs)); return;
            case VBinOp.Sub: PushV128(Apply(ByLane(s, SseOp.Psubb, SseOp.Psubw, SseOp.Psubd, SseOp.Psubq), lhs, rhs)); return;
            case VBinOp.AddSatS: PushV128(ApplyCommutative(s.Lane == LaneType.I8 ? SseOp.Paddsb : SseOp.Paddsw, lhs, rhs)); return;
            case VBinOp.AddSatU: PushV128(ApplyCommutative(s.Lane == LaneType.I8 ? SseOp.Paddusb : SseOp.Paddusw, lhs, rhs)); return;
            case VBinOp.SubSatS: PushV128(Apply(s.Lane == LaneType.I8 ? SseOp.Psubsb : SseOp.Psubsw, lhs, rhs)); return;
            case VBinOp.SubSatU: PushV128(Apply(s.Lane == LaneType.I8 ? SseOp.Psubusb : SseOp.Psubusw, lhs, rhs)); return;
            case VBinOp.AvgrU: PushV128(ApplyCommutative(s.Lane == LaneType.I8 ? SseOp.Pavgb : SseOp.Pavgw, lhs, rhs)); return;
            case VBinOp.MinS: PushV128(ApplyCommutative(ByLane(s, SseOp.Pminsb, SseOp.Pminsw, SseOp.Pminsd, SseOp.Pminsd), lhs, rhs)); return;
            case VBinOp.MinU: PushV128(ApplyCommutative(ByLane(s, SseOp.Pminub, SseOp.Pminuw, SseOp.Pminud, SseOp.Pminud), lhs, rhs)); return;
            case VBinOp.MaxS: PushV128(ApplyCommutative(ByLane(s, SseOp.Pmaxsb, SseOp.Pmaxsw, SseOp.Pmaxsd, SseOp.Pmaxsd), lhs, rhs)); return;
            case VBinOp.MaxU: PushV128(ApplyCommutative(ByLane(s, SseOp.Pmaxub, SseOp.Pmaxuw, SseOp.Pmaxud, SseOp.Pmaxud), lhs, rhs)); return;
            case VBinOp.Mul when s.Lane == LaneType.I64: PushV128(MulI64(lhs, rhs)); return;
            case VBinOp.Mul: PushV128(ApplyCommutative(s.Lane == LaneType.I16 ? SseOp.Pmullw : SseOp.Pmulld, lhs, rhs)); return;
            default:
            {
                // q15mulr_sat_s (and relaxed_q15mulr_s, R_iq15mulr = 0): pmulhrsw rounds as the spec does, and its
                // only overflow, MIN * MIN, gives 0x8000 where the spec saturates to 0x7fff.
                var d = ApplyCommutative(SseOp.Pmulhrsw, lhs, rhs);
                var t = AllocXmm();
                a.Sse(SseOp.Movdqa, t, d);
                a.Sse(SseOp.Pcmpeqw, t, Splat16(0x8000));
                a.Sse(SseOp.Pxor, d, t);
                Release(t);
                PushV128(d);
                return;
            }
        }
    }

    /// <summary>i64 lanes multiplied from 32-bit halves: lo*lo + ((hi*lo + lo*hi) &lt;&lt; 32), all modulo 2^64.</summary>
    Xmm MulI64(in Entry lhs, in Entry rhs)
    {
        var t = Copy(lhs);
        a.ShiftImm(SseShiftOp.Psrlq, t, 32);
        With(SseOp.Pmuludq, t, rhs);
        var u = Copy(rhs);
        a.ShiftImm(SseShiftOp.Psrlq, u, 32);
        With(SseOp.Pmuludq, u, lhs);
        a.Sse(SseOp.Paddq, t, u);
        Release(u);
        a.ShiftImm(SseShiftOp.Psllq, t, 32);
        var d = OwnXmm(lhs);
        With(SseOp.Pmuludq, d, rhs);
        Release(rhs);
        a.Sse(SseOp.Paddq, d, t);
        Release(t);
        return d;
    }

    void FloatLanesBinop(bool f32, VBinOp op)
    {
        var rhs = Pop();
        var lhs = Pop();
        switch (op)
        {
            case VBinOp.Add: PushV128(CanonicalLanes(f32, ApplyCommutative(f32 ? SseOp.Addps : SseOp.Addpd, lhs, rhs))); return;
            case VBinOp.Sub: PushV128(CanonicalLanes(f32, Apply(f32 ? SseOp.Subps : SseOp.Subpd, lhs, rhs))); return;
            case VBinOp.Mul: PushV128(CanonicalLanes(f32, ApplyCommutative(f32 ? SseOp.Mulps : SseOp.Mulpd, lhs, rhs))); return;
            case VBinOp.Div: PushV128(CanonicalLanes(f32, Apply(f32 ? SseOp.Divps : SseOp.Divpd, lhs, rhs))); return;
            // fpmin(z1, z2) = z2 if z2 < z1 else z1, which is minps z2, z1 exactly (it yields its second operand
            // unless the first is below it): a selection, NaN bits kept. fpmax likewise with maxps.
            case VBinOp.Pmin: PushV128(Apply(f32 ? SseOp.Minps : SseOp.Minpd, rhs, lhs)); return;
            case VBinOp.Pmax: PushV128(Apply(f32 ? SseOp.Maxps : SseOp.Maxpd, rhs, lhs)); return;
            // relaxed_min and relaxed_max are fmin and fmax (R_fmin = R_fmax = 0).
            case VBinOp.Min or VBinOp.RelaxedMin: PushV128(FloatMin(f32, lhs, rhs)); return;
            default: PushV128(FloatMax(f32, lhs, rhs)); return;
        }
    }

    /// <summary>$fmin_N lane by lane. minps gives its second operand for a NaN or two zeros, so min(a, b) | min(b, a)
    /// is the minimum, -0 when either zero is negative, and a NaN when either lane is; NaN lanes are then made +NaN(canon)
    /// (a choice the spec allows always, and the interpreter's).</summary>
    Xmm FloatMin(bool f32, in Entry lhs, in Entry rhs)
    {
        var min = f32 ? SseOp.Minps : SseOp.Minpd;
        var t = Copy(lhs);
        With(min, t, rhs);
        var d = OwnXmm(rhs);
        With(min, d, lhs);
        Release(lhs);
        a.Sse(f32 ? SseOp.Orps : SseOp.Orpd, t, d);
        a.SseImm(f32 ? SseOp.Cmpps : SseOp.Cmppd, d, t, 3); // the NaN lanes: t is a NaN exactly there
        NanLanesToCanonical(f32, d, t);
        Release(t);
        return d;
    }

    /// <summary>$fmax_N lane by lane. With p = max(a, b) and q = max(b, a) (each the maximum, but for two zeros or a
    /// NaN the second operand), (p | q) - (p ^ q) is the maximum, +0 for two zeros of different signs (-0 - -0), and a
    /// NaN when either lane is; NaN lanes become +NaN(canon).</summary>
    Xmm FloatMax(bool f32, in Entry lhs, in Entry rhs)
    {
        var max = f32 ? SseOp.Maxps : SseOp.Maxpd;
        var t = Copy(lhs);
        With(max, t, rhs);
        var d = OwnXmm(rhs);
        With(max, d, lhs);
        Release(lhs);
        a.Sse(f32 ? SseOp.Xorps : SseOp.Xorpd, d, t);
        a.Sse(f32 ? SseOp.Orps : SseOp.Orpd, t, d);
        a.Sse(f32 ? SseOp.Subps : SseOp.Subpd, t, d);
        a.SseImm(f32 ? SseOp.Cmpps : SseOp.Cmppd, d, t, 3); // p ^ q is never a NaN: only t's NaN lanes are unordered
        NanLanesToCanonical(f32, d, t);
        Release(t);
        return d;
    }

    /// <summary>Step_pure/vternop-val: relaxed_laneselect (a bitselect, R_laneselect = 0), relaxed_madd and relaxed_nmadd
    /// (unfused, R_fmadd = 0: the product rounded, then the sum; nmadd negates the first factor).</summary>
    void VectorTernop(Shape s, VTernOp op)
    {
        if (op == VTernOp.RelaxedLaneselect) { Bitselect(); return; }
        bool f32 = IsF32(s);
        var c = Pop();
        var b = Pop();
        var x = Pop();
        var d = OwnXmm(x);
        if (op == VTernOp.RelaxedNmadd)
            a.Sse(f32 ? SseOp.Xorps : SseOp.Xorpd, d, f32 ? Splat32(0x8000_0000) : Splat64(0x8000_0000_0000_0000));
        With(f32 ? SseOp.Mulps : SseOp.Mulpd, d, b);
        Release(b);
        // A NaN product gives a NaN sum, so making only the sum canonical is what the interpreter's two steps give.
        With(f32 ? SseOp.Addps : SseOp.Addpd, d, c);
        Release(c);
        PushV128(CanonicalLanes(f32, d));
    }

    /// <summary>Step_pure/vrelop: each lane all ones or zero.</summary>
    void VectorRelop(Shape s, VRelOp op)
    {
        var rhs = Pop();
        var lhs = Pop();
        if (s.Lane is LaneType.F32 or LaneType.F64)
        {
            // cmpps predicates: 0 eq, 1 lt, 2 le, 4 neq (true when unordered, as fne); gt and ge swap the operands.
            var cmp = IsF32(s) ? SseOp.Cmpps : SseOp.Cmppd;
            var (d, src, pred) = op switch
            {
                VRelOp.Eq => (lhs, rhs, 0), VRelOp.Ne => (lhs, rhs, 4), VRelOp.Lt => (lhs, rhs, 1),
                VRelOp.Le => (lhs, rhs, 2), VRelOp.Gt => (rhs, lhs, 1), _ => (rhs, lhs, 2),
            };
            var x = OwnXmm(d);
            SseImmWith(cmp, x, src, (byte)pred);
            Release(src);
            PushV128(x);
            return;
        }
        if (s.Lane == LaneType.I64 && op is not (VRelOp.Eq or VRelOp.Ne))
        {
            var (l, r, negate) = op switch
            {
                VRelOp.GtS => (lhs, rhs, false), VRelOp.LtS => (rhs, lhs, false),
                VRelOp.LeS => (lhs, rhs, true), _ => (rhs, lhs, true),
            };
            var g = GreaterI64(l, r);
            Release(lhs);
            Release(rhs);
            if (negate) Not(g);
            PushV128(g);
            return;
        }
        var gt = ByLane(s, SseOp.Pcmpgtb, SseOp.Pcmpgtw, SseOp.Pcmpgtd, SseOp.Pcmpgtd);
        Xmm res;
        switch (op)
        {
            case VRelOp.Eq or VRelOp.Ne:
                res = ApplyCommutative(Pcmpeq(s), lhs, rhs);
                if (op == VRelOp.Ne) Not(res);
                break;
            case VRelOp.GtS: res = Apply(gt, lhs, rhs); break;
            case VRelOp.LtS: res = Apply(gt, rhs, lhs); break;
            case VRelOp.LeS: res = Apply(gt, lhs, rhs); Not(res); break;
            case VRelOp.GeS: res = Apply(gt, rhs, lhs); Not(res); break;
            default:
            {
                // Unsigned: a >= b exactly when max_u(a, b) = a, a <= b when min_u(a, b) = a; gt and lt are their negations.
                bool viaMax = op is VRelOp.GeU or VRelOp.LtU;
                var pick = viaMax
                    ? ByLane(s, SseOp.Pmaxub, SseOp.Pmaxuw, SseOp.Pmaxud, SseOp.Pmaxud)
                    : ByLane(s, SseOp.Pminub, SseOp.Pminuw, SseOp.Pminud, SseOp.Pminud);
                res = Copy(lhs);
                With(pick, res, rhs);
                With(Pcmpeq(s), res, lhs);
                Release(lhs);
                Release(rhs);
                if (op is VRelOp.GtU or VRelOp.LtU) Not(res);
                break;
            }
        }
        PushV128(res);
    }

    /// <summary>a &gt; b on signed i64 lanes without SSE4.2's pcmpgtq: the high halves decide when they differ; when
    /// they are equal, b - a is the difference of the low halves, negative exactly when a's is above b's (unsigned).
    /// The operands stay readable (the caller releases them).</summary>
    Xmm GreaterI64(in Entry l, in Entry r)
    {
        var d = Copy(r);
        With(SseOp.Psubq, d, l);
        var t = Copy(l);
        With(SseOp.Pcmpeqd, t, r);
        a.Sse(SseOp.Pand, d, t);
        LoadXmm(t, l);
        With(SseOp.Pcmpgtd, t, r);
        a.Sse(SseOp.Por, d, t);
        Release(t);
        // The answer is the sign of each high half: spread to the whole lane.
        a.SseImm(SseOp.Pshufd, d, d, 0xF5);
        a.ShiftImm(SseShiftOp.Psrad, d, 31);
        return d;
    }

    /// <summary>Step_pure/vshiftop: every lane shifted by the count modulo the lane width. x86 has no byte shifts: shl
    /// and shr_u shift words and mask off the bits that crossed into the next byte; shr_s shifts each byte in the high
    /// half of a word. i64 shr_s is the logical shift with the sign put back: ((x >>u n) ^ m) - m, m = 2^63 >>u n.</summary>
    void VectorShift(Shape s, VShiftOp op)
    {
        var n = Pop();
        var v = Pop();
        int bits = Numerics.lsize(s.Lane);
        var d = OwnXmm(v);
        if (n.Kind == Kind.Const)
        {
            byte c = (byte)(n.Bits & (ulong)(bits - 1));
            if (c != 0) ShiftByConstant(s, op, d, c);
            PushV128(d);
            return;
        }
        var r = OwnGpr(n);
        a.Alu(AluOp.And, Width.W32, r, bits - 1);
        if (s.Lane == LaneType.I8 && op == VShiftOp.ShrS) a.Alu(AluOp.Add, Width.W32, r, 8);
        var count = AllocXmm();
        a.MovdToXmm(Width.W32, count, r);
        Release(r);
        switch (s.Lane, op)
        {
            case (LaneType.I8, VShiftOp.Shl) or (LaneType.I8, VShiftOp.ShrU):
            {
                // The byte mask: all-ones words shifted alike, then the byte that kept the right bits broadcast.
                bool left = op == VShiftOp.Shl;
                var m = AllocXmm();
                a.Sse(SseOp.Pcmpeqb, m, m);
                a.Sse(left ? SseOp.Psllw : SseOp.Psrlw, m, count);
                a.Sse(SseOp.Pshufb, m, Splat8(left ? (byte)0 : (byte)1));
                a.Sse(left ? SseOp.Psllw : SseOp.Psrlw, d, count);
                a.Sse(SseOp.Pand, d, m);
                Release(m);
                break;
            }
            case (LaneType.I8, _):
            {
                var t = AllocXmm();
                a.Sse(SseOp.Movdqa, t, d);
                a.Sse(SseOp.Punpckhbw, t, t);
                a.Sse(SseOp.Punpcklbw, d, d);
                a.Sse(SseOp.Psraw, t, count);
                a.Sse(SseOp.Psraw, d, count);
                a.Sse(SseOp.Packsswb, d, t);
                Release(t);
                break;
            }
            case (LaneType.I64, VShiftOp.ShrS):
            {
                var m = AllocXmm();
                a.Sse(SseOp.Movdqa, m, Splat64(0x8000_0000_0000_0000));
                a.Sse(SseOp.Psrlq, m, count);
                a.Sse(SseOp.Psrlq, d, count);
                a.Sse(SseOp.Pxor, d, m);
                a.Sse(SseOp.Psubq, d, m);
                Release(m);
                break;
            }
            default:
                a.Sse(op switch
                {
                    VShiftOp.Shl => ByLane(s, SseOp.Psllw, SseOp.Psllw, SseOp.Pslld, SseOp.Psllq),
                    VShiftOp.ShrU => ByLane(s, SseOp.Psrlw, SseOp.Psrlw, SseOp.Psrld, SseOp.Psrlq),
                    _ => ByLane(s, SseOp.Psraw, SseOp.Psraw, SseOp.Psrad, SseOp.Psrad),
                }, d, count);
                break;
        }
        Release(count);
        PushV128(d);
    }

    void ShiftByConstant(Shape s, VShiftOp op, Xmm d, byte c)
    {
        switch (s.Lane, op)
        {
            case (LaneType.I8, VShiftOp.Shl):
                a.ShiftImm(SseShiftOp.Psllw, d, c);
                a.Sse(SseOp.Pand, d, Splat8((byte)(0xFF << c)));
                return;
            case (LaneType.I8, VShiftOp.ShrU):
                a.ShiftImm(SseShiftOp.Psrlw, d, c);
                a.Sse(SseOp.Pand, d, Splat8((byte)(0xFF >> c)));
                return;
            case (LaneType.I8, _):
            {
                var t = AllocXmm();
                a.Sse(SseOp.Movdqa, t, d);
                a.Sse(SseOp.Punpckhbw, t, t);
                a.Sse(SseOp.Punpcklbw, d, d);
                a.ShiftImm(SseShiftOp.Psraw, t, (byte)(c + 8));
                a.ShiftImm(SseShiftOp.Psraw, d, (byte)(c + 8));
                a.Sse(SseOp.Packsswb, d, t);
                Release(t);
                return;
            }
            case (LaneType.I64, VShiftOp.ShrS):
            {
                var m = AllocXmm();
                a.Sse(SseOp.Movdqa, m, Splat64(0x8000_0000_0000_0000UL >> c));
                a.ShiftImm(SseShiftOp.Psrlq, d, c);
                a.Sse(SseOp.Pxor, d, m);
                a.Sse(SseOp.Psubq, d, m);
                Release(m);
                return;
            }
            default:
                a.ShiftImm(op switch
                {
                    VShiftOp.Shl => s.Lane switch { LaneType.I16 => SseShiftOp.Psllw, LaneType.I32 => SseShiftOp.Pslld, _ => SseShiftOp.Psllq },
                    VShiftOp.ShrU => s.Lane switch { LaneType.I16 => SseShiftOp.Psrlw, LaneType.I32 => SseShiftOp.Psrld, _ => SseShiftOp.Psrlq },
                    _ => s.Lane == LaneType.I16 ? SseShiftOp.Psraw : SseShiftOp.Psrad,
                }, d, c);
                return;
        }
    }

    // ---- Swizzle, shuffle (Step_pure/vswizzlop, vshuffle) ----

    /// <summary>swizzle (and relaxed_swizzle, R_swizzle = 0): pshufb takes index bits 0-3 and zeroes the lane when bit 7
    /// is set; adding 0x70 with unsigned saturation sets bit 7 for every index from 16 up and keeps bits 0-3 below.</summary>
    void Swizzle()
    {
        var indices = Pop();
        var v = Pop();
        var m = OwnXmm(indices);
        a.Sse(SseOp.Paddusb, m, Splat8(0x70));
        var d = OwnXmm(v);
        a.Sse(SseOp.Pshufb, d, m);
        Release(m);
        PushV128(d);
    }

    /// <summary>shuffle: the lanes taken from each operand by a pshufb whose other lanes are zeroed (index 0x80), or-ed.</summary>
    void Shuffle(System.Collections.Immutable.ImmutableArray<byte> lanes)
    {
        var rhs = Pop();
        var lhs = Pop();
        ulong Mask(bool second, int half)
        {
            ulong m = 0;
            for (int k = 7; k >= 0; k--)
            {
                int l = lanes[8 * half + k];
                bool mine = second ? l >= 16 : l < 16;
                m = (m << 8) | (mine ? (ulong)(l & 15) : 0x80);
            }
            return m;
        }
        bool fromLhs = lanes.Any(l => l < 16), fromRhs = lanes.Any(l => l >= 16);
        Xmm d;
        if (!fromRhs) { d = Pick(lhs, false); Release(rhs); }
        else if (!fromLhs) { d = Pick(rhs, true); Release(lhs); }
        else
        {
            d = Pick(lhs, false);
            var t = Pick(rhs, true);
            a.Sse(SseOp.Por, d, t);
            Release(t);
        }
        PushV128(d);

        Xmm Pick(in Entry e, bool second)
        {
            var x = OwnXmm(e);
            ulong lo = Mask(second, 0), hi = Mask(second, 1);
            // The identity needs no shuffle.
            if (!(lo == 0x0706_0504_0302_0100UL && hi == 0x0F0E_0D0C_0B0A_0908UL)) a.Sse(SseOp.Pshufb, x, K(lo, hi));
            return x;
        }
    }

    // ---- Extended and narrowing operators (Step_pure/vextunop, vextbinop, vextternop, vnarrow) ----

    /// <summary>extadd_pairwise: pmaddubsw and pmaddwd add adjacent products, here with 1. pmaddubsw takes its first
    /// operand's bytes as unsigned and its second's as signed; u16 lanes are biased to signed and the bias removed.</summary>
    void ExtaddPairwise(Shape from, bool signed)
    {
        var e = Pop();
        Xmm d;
        if (from.Lane == LaneType.I8)
        {
            if (signed)
            {
                d = AllocXmm();
                a.Sse(SseOp.Movdqa, d, Splat8(1));
                With(SseOp.Pmaddubsw, d, e);
                Release(e);
            }
            else
            {
                d = OwnXmm(e);
                a.Sse(SseOp.Pmaddubsw, d, Splat8(1));
            }
        }
        else
        {
            d = OwnXmm(e);
            if (!signed) a.Sse(SseOp.Pxor, d, Splat16(0x8000));
            a.Sse(SseOp.Pmaddwd, d, Splat16(1));
            if (!signed) a.Sse(SseOp.Paddd, d, Splat32(0x1_0000));
        }
        PushV128(d);
    }

    void VectorExtbinop(Shape to, VExtBinOp op)
    {
        var rhs = Pop();
        var lhs = Pop();
        switch (op)
        {
            case VExtBinOp.DotS: PushV128(ApplyCommutative(SseOp.Pmaddwd, lhs, rhs)); return;
            case VExtBinOp.RelaxedDotS: PushV128(RelaxedDot(lhs, rhs)); return;
        }
        bool high = op is VExtBinOp.ExtmulHighS or VExtBinOp.ExtmulHighU;
        bool signed = op is VExtBinOp.ExtmulLowS or VExtBinOp.ExtmulHighS;
        switch (to.Lane)
        {
            case LaneType.I16:
            {
                var d = Widen(lhs, LaneType.I8, high, signed);
                var t = Widen(rhs, LaneType.I8, high, signed);
                a.Sse(SseOp.Pmullw, d, t);
                Release(t);
                PushV128(d);
                return;
            }
            case LaneType.I32:
            {
                // The low and high halves of the 16x16-bit products, interleaved.
                var lo = Copy(lhs);
                With(SseOp.Pmullw, lo, rhs);
                var hi = OwnXmm(lhs);
                With(signed ? SseOp.Pmulhw : SseOp.Pmulhuw, hi, rhs);
                Release(rhs);
                a.Sse(high ? SseOp.Punpckhwd : SseOp.Punpcklwd, lo, hi);
                Release(hi);
                PushV128(lo);
                return;
            }
            default:
            {
                // pmuldq/pmuludq multiply dwords 0 and 2: the two lanes are moved there.
                byte order = high ? (byte)0xFA : (byte)0x50;
                var d = UnaryImmInto(SseOp.Pshufd, lhs, order);
                var t = UnaryImmInto(SseOp.Pshufd, rhs, order);
                a.Sse(signed ? SseOp.Pmuldq : SseOp.Pmuludq, d, t);
                Release(t);
                PushV128(d);
                return;
            }
        }
    }

    /// <summary>The low or high half of <paramref name="e"/>'s lanes of type <paramref name="from"/>, each extended to
    /// twice its width (pmovsx/zx; the high half is moved down first). Consumes <paramref name="e"/>.</summary>
    Xmm Widen(in Entry e, LaneType from, bool high, bool signed)
    {
        var op = (from, signed) switch
        {
            (LaneType.I8, true) => SseOp.Pmovsxbw, (LaneType.I8, false) => SseOp.Pmovzxbw,
            (LaneType.I16, true) => SseOp.Pmovsxwd, (LaneType.I16, false) => SseOp.Pmovzxwd,
            (_, true) => SseOp.Pmovsxdq, _ => SseOp.Pmovzxdq,
        };
        if (!high) return UnaryInto(op, e);
        var d = UnaryImmInto(SseOp.Pshufd, e, 0xEE);
        a.Sse(op, d, d);
        return d;
    }

    /// <summary>relaxed_dot_i8x16_i7x16_s (R_idot = 0: both operands signed): the products of the even and of the odd
    /// bytes, each sign-extended to 16 bits (they fit: 128 * 128 = 2^14), added with signed saturation ($ivdot_sat).</summary>
    Xmm RelaxedDot(in Entry lhs, in Entry rhs)
    {
        var evenA = Copy(lhs);
        a.ShiftImm(SseShiftOp.Psllw, evenA, 8);
        a.ShiftImm(SseShiftOp.Psraw, evenA, 8);
        var oddA = OwnXmm(lhs);
        a.ShiftImm(SseShiftOp.Psraw, oddA, 8);
        var evenB = Copy(rhs);
        a.ShiftImm(SseShiftOp.Psllw, evenB, 8);
        a.ShiftImm(SseShiftOp.Psraw, evenB, 8);
        var oddB = OwnXmm(rhs);
        a.ShiftImm(SseShiftOp.Psraw, oddB, 8);
        a.Sse(SseOp.Pmullw, evenA, evenB);
        a.Sse(SseOp.Pmullw, oddA, oddB);
        a.Sse(SseOp.Paddsw, evenA, oddA);
        Release(evenB);
        Release(oddA);
        Release(oddB);
        return evenA;
    }

    /// <summary>relaxed_dot_i8x16_i7x16_add_s: the relaxed dot product's i16 lanes added in pairs (pmaddwd with 1), plus the i32 addend.</summary>
    void RelaxedDotAdd()
    {
        var c = Pop();
        var rhs = Pop();
        var lhs = Pop();
        var d = RelaxedDot(lhs, rhs);
        a.Sse(SseOp.Pmaddwd, d, Splat16(1));
        With(SseOp.Paddd, d, c);
        Release(c);
        PushV128(d);
    }

    /// <summary>narrow: the pack instructions saturate as $narrow__ does (signed inputs, signed or unsigned saturation).</summary>
    void Narrow(Shape to, Sx sx)
    {
        var rhs = Pop();
        var lhs = Pop();
        var op = (to.Lane, sx) switch
        {
            (LaneType.I8, Sx.S) => SseOp.Packsswb, (LaneType.I8, _) => SseOp.Packuswb,
            (_, Sx.S) => SseOp.Packssdw, _ => SseOp.Packusdw,
        };
        PushV128(Apply(op, lhs, rhs));
    }

    // ---- Conversions (Step_pure/vcvtop) ----

    void VectorCvtop(Shape to, Shape from, VCvtOp op)
    {
        var e = Pop();
        switch (op)
        {
            case VCvtOp.ExtendLowS or VCvtOp.ExtendLowU or VCvtOp.ExtendHighS or VCvtOp.ExtendHighU:
                PushV128(Widen(e, from.Lane, op is VCvtOp.ExtendHighS or VCvtOp.ExtendHighU, op is VCvtOp.ExtendLowS or VCvtOp.ExtendHighS));
                return;
            case VCvtOp.ConvertS: PushV128(UnaryInto(SseOp.Cvtdq2ps, e)); return;
            case VCvtOp.ConvertLowS: PushV128(UnaryInto(SseOp.Cvtdq2pd, e)); return;
            case VCvtOp.ConvertU:
            {
                // u32 -> f32 with one rounding: the low 16 bits and the high part (halved to stay non-negative, then
                // doubled) convert exactly; their sum rounds once.
                var d = OwnXmm(e);
                var lo = AllocXmm();
                a.Sse(SseOp.Movdqa, lo, d);
                a.Sse(SseOp.Pand, lo, Splat32(0xFFFF));
                a.Sse(SseOp.Psubd, d, lo);
                a.ShiftImm(SseShiftOp.Psrld, d, 1);
                a.Sse(SseOp.Cvtdq2ps, d, d);
                a.Sse(SseOp.Addps, d, d);
                a.Sse(SseOp.Cvtdq2ps, lo, lo);
                a.Sse(SseOp.Addps, d, lo);
                Release(lo);
                PushV128(d);
                return;
            }
            case VCvtOp.ConvertLowU:
            {
                // 0x4330_0000 above a u32 is the double 2^52 + u exactly; subtracting 2^52 leaves u.
                var d = OwnXmm(e);
                a.Sse(SseOp.Unpcklps, d, Splat32(0x4330_0000));
                a.Sse(SseOp.Subpd, d, Splat64(0x4330_0000_0000_0000));
                PushV128(d);
                return;
            }
            // relaxed_trunc is trunc_sat (R_trunc_s = R_trunc_u = 0).
            case VCvtOp.TruncSatS or VCvtOp.RelaxedTruncS: PushV128(TruncSatF32S(e)); return;
            case VCvtOp.TruncSatU or VCvtOp.RelaxedTruncU: PushV128(TruncSatF32U(e)); return;
            case VCvtOp.TruncSatZeroS or VCvtOp.RelaxedTruncZeroS:
            {
                // NaN lanes become 0 and the rest are clamped above at 2^31 - 1; below, cvttpd2dq's "indefinite"
                // 0x80000000 is the saturated minimum. The upper two lanes are zeroed by cvttpd2dq.
                var d = OwnXmm(e);
                var t = AllocXmm();
                a.Sse(SseOp.Movapd, t, d);
                a.SseImm(SseOp.Cmppd, t, d, 0);
                a.Sse(SseOp.Andpd, t, Splat64(Numerics.bits(2147483647.0)));
                a.Sse(SseOp.Minpd, d, t); // a NaN lane yields the second operand, 0
                a.Sse(SseOp.Cvttpd2dq, d, d);
                Release(t);
                PushV128(d);
                return;
            }
            case VCvtOp.TruncSatZeroU or VCvtOp.RelaxedTruncZeroU:
            {
                // Clamped to [0, 2^32 - 1] (NaN to 0), truncated, then 2^52 added: the low half of each double is the u32.
                var d = OwnXmm(e);
                var z = AllocXmm();
                a.Sse(SseOp.Xorpd, z, z);
                a.Sse(SseOp.Maxpd, d, z);
                a.Sse(SseOp.Minpd, d, Splat64(Numerics.bits(4294967295.0)));
                a.SseImm(SseOp.Roundpd, d, d, 3 | 8);
                a.Sse(SseOp.Addpd, d, Splat64(0x4330_0000_0000_0000));
                a.SseImm(SseOp.Shufps, d, z, 0x88);
                Release(z);
                PushV128(d);
                return;
            }
            case VCvtOp.DemoteZero: PushV128(CanonicalLanes(true, UnaryInto(SseOp.Cvtpd2ps, e))); return;
            default: PushV128(CanonicalLanes(false, UnaryInto(SseOp.Cvtps2pd, e))); return; // promote_low
        }
    }

    /// <summary>f32 -> i32 saturating: NaN lanes zeroed first; cvttps2dq gives 0x80000000 beyond the range, which is right
    /// below it and is flipped to 0x7fffffff where the input was positive (the sign of the input's inverse and of the
    /// result both set).</summary>
    Xmm TruncSatF32S(in Entry e)
    {
        var d = OwnXmm(e);
        var t = AllocXmm();
        a.Sse(SseOp.Movaps, t, d);
        a.SseImm(SseOp.Cmpps, t, d, 0);
        a.Sse(SseOp.Andps, d, t);
        a.Sse(SseOp.Pxor, t, d);
        a.Sse(SseOp.Cvttps2dq, d, d);
        a.Sse(SseOp.Pand, t, d);
        a.ShiftImm(SseShiftOp.Psrad, t, 31);
        a.Sse(SseOp.Pxor, d, t);
        Release(t);
        return d;
    }

    /// <summary>f32 -> u32 saturating: x = max(x, 0) (NaN to 0); cvttps2dq(x) is right below 2^31 and 0x80000000 above;
    /// cvttps2dq(x - 2^31) adds the rest above 2^31 (negative, hence clamped to 0, below it), and is 0x7fffffff where
    /// x - 2^31 is itself 2^31 or more, so the sum saturates to 0xffffffff.</summary>
    Xmm TruncSatF32U(in Entry e)
    {
        var d = OwnXmm(e);
        var z = AllocXmm();
        a.Sse(SseOp.Xorps, z, z);
        a.Sse(SseOp.Maxps, d, z);
        var b = AllocXmm();
        a.Sse(SseOp.Movaps, b, d);
        a.Sse(SseOp.Subps, b, Splat32(0x4F00_0000)); // 2^31
        var over = AllocXmm();
        a.Sse(SseOp.Movaps, over, b);
        a.SseImm(SseOp.Cmpps, over, Splat32(0x4F00_0000), 5); // not less than 2^31
        a.Sse(SseOp.Cvttps2dq, b, b);
        a.Sse(SseOp.Pxor, b, over);
        a.Sse(SseOp.Pmaxsd, b, z);
        a.Sse(SseOp.Cvttps2dq, d, d);
        a.Sse(SseOp.Paddd, d, b);
        Release(over);
        Release(b);
        Release(z);
        return d;
    }

    // ---- Lanes (Step_pure/vsplat, vextract_lane-num, vextract_lane-pack, vreplace_lane) ----

    void Splat(Shape s)
    {
        var e = Pop();
        switch (s.Lane)
        {
            case LaneType.F32: PushV128(UnaryImmInto(SseOp.Pshufd, e, 0x00)); return;
            case LaneType.F64: PushV128(UnaryImmInto(SseOp.Pshufd, e, 0x44)); return;
        }
        var x = AllocXmm();
        ScalarToXmm(x, e, s.Lane == LaneType.I64 ? Width.W64 : Width.W32);
        Release(e);
        switch (s.Lane)
        {
            case LaneType.I8: a.Sse(SseOp.Pshufb, x, K(0, 0)); break;
            case LaneType.I16:
                a.SseImm(SseOp.Pshuflw, x, x, 0x00);
                a.SseImm(SseOp.Pshufd, x, x, 0x00);
                break;
            case LaneType.I32: a.SseImm(SseOp.Pshufd, x, x, 0x00); break;
            default: a.Sse(SseOp.Punpcklqdq, x, x); break;
        }
        PushV128(x);
    }

    /// <summary>Moves an integer entry's low 32 or 64 bits into the low lane of <paramref name="x"/>.</summary>
    void ScalarToXmm(Xmm x, in Entry e, Width w)
    {
        if (MemoryOf(e) is { } m)
        {
            if (w == Width.W32) a.MovssLoad(x, m); else a.Movq(x, m);
            return;
        }
        if (e.Kind == Kind.Const)
        {
            if (w == Width.W32) a.MovssLoad(x, K(e.Bits, 0)); else a.Movq(x, K(e.Bits, 0));
            return;
        }
        var r = ReadGpr(e);
        a.MovdToXmm(w, x, r);
        ReleaseRead(e, r);
    }

    void ExtractLane(Shape s, Sx? sx, byte lane)
    {
        var e = Pop();
        int bytes = Numerics.lsize(s.Lane) / 8;
        if (s.Lane is LaneType.F32 or LaneType.F64)
        {
            var cls = s.Lane == LaneType.F32 ? VClass.F32 : VClass.F64;
            if (MemoryOf(e) is { } m)
            {
                var x = AllocXmm();
                if (cls == VClass.F32) a.MovssLoad(x, m.Offset(lane * bytes)); else a.MovsdLoad(x, m.Offset(lane * bytes));
                PushXmm(cls, x);
                return;
            }
            // The lane moved to lane 0; the other lanes of a scalar's register are never read.
            if (lane == 0) { PushXmm(cls, OwnXmm(e)); return; }
            PushXmm(cls, UnaryImmInto(SseOp.Pshufd, e, cls == VClass.F32 ? lane : (byte)0xEE));
            return;
        }
        var w = s.Lane switch { LaneType.I8 => Width.W8, LaneType.I16 => Width.W16, LaneType.I32 => Width.W32, _ => Width.W64 };
        var rc = w == Width.W64 ? VClass.I64 : VClass.I32;
        var r = AllocGpr();
        if (MemoryOf(e) is { } at)
        {
            var lm = at.Offset(lane * bytes);
            if (w is Width.W8 or Width.W16)
            {
                if (sx == Sx.S) a.Movsx(Width.W32, r, w, lm); else a.Movzx(r, w, lm);
            }
            else a.Mov(w, r, lm);
            PushGpr(rc, r);
            return;
        }
        var x2 = ReadXmm(e);
        if (lane == 0 && w is Width.W32 or Width.W64) a.MovdFromXmm(w, r, x2);
        else a.Pextr(w, r, x2, lane);
        ReleaseRead(e, x2);
        Release(e);
        if (sx == Sx.S) a.Movsx(Width.W32, r, w, r);
        PushGpr(rc, r);
    }

    void ReplaceLane(Shape s, byte lane)
    {
        var c = Pop();
        var v = Pop();
        var d = OwnXmm(v);
        var w = s.Lane switch
        {
            LaneType.I8 => Width.W8, LaneType.I16 => Width.W16, LaneType.I32 or LaneType.F32 => Width.W32, _ => Width.W64,
        };
        if (c.Kind == Kind.Const)
        {
            // The lane's bits, through the scratch register.
            a.MovImm(Scratch, c.Bits);
            a.Pinsr(w, d, Scratch, lane);
        }
        else if (MemoryOf(c) is { } m) a.Pinsr(w, d, m, lane);
        else if (s.Lane is LaneType.F32 or LaneType.F64)
        {
            var x = ReadXmm(c);
            if (s.Lane == LaneType.F32) a.SseImm(SseOp.Insertps, d, x, (byte)(lane << 4));
            else if (lane == 0) a.Movsd(d, x);
            else a.Sse(SseOp.Movlhps, d, x);
            ReleaseRead(c, x);
        }
        else
        {
            var r = ReadGpr(c);
            a.Pinsr(w, d, r, lane);
            ReleaseRead(c, r);
        }
        Release(c);
        PushV128(d);
    }

    // ---- Memory (Step_read/vload-*, vload_lane-*, Step/vstore-*, vstore_lane-*): bounds checked by Address ----

    void VectorLoad(VLoad l)
    {
        var addr = Pop();
        MaterializeFlagsOf(ref addr);
        int size = l.Op switch
        {
            null => 16,
            VLoadShape => 8,
            VLoadSplat p => (int)p.Size / 8,
            VLoadZero z => (int)z.Size / 8,
            _ => throw new NotCompiledException($"vector load {l.Op}"),
        };
        var x = AllocXmm();
        var m = Address(l.Mem, addr, l.Arg.Offset, size);
        switch (l.Op)
        {
            case null: a.Sse(SseOp.Movdqu, x, m); break;
            case VLoadShape p:
                a.Sse((p.Size, p.Sx) switch
                {
                    (Sz.S8, Sx.S) => SseOp.Pmovsxbw, (Sz.S8, _) => SseOp.Pmovzxbw,
                    (Sz.S16, Sx.S) => SseOp.Pmovsxwd, (Sz.S16, _) => SseOp.Pmovzxwd,
                    (_, Sx.S) => SseOp.Pmovsxdq, _ => SseOp.Pmovzxdq,
                }, x, m);
                break;
            case VLoadSplat { Size: Sz.S8 }:
                a.Pinsr(Width.W8, x, m, 0);
                a.Sse(SseOp.Pshufb, x, K(0, 0));
                break;
            case VLoadSplat { Size: Sz.S16 }:
                a.Pinsr(Width.W16, x, m, 0);
                a.SseImm(SseOp.Pshuflw, x, x, 0x00);
                a.SseImm(SseOp.Pshufd, x, x, 0x00);
                break;
            case VLoadSplat { Size: Sz.S32 }:
                a.MovssLoad(x, m);
                a.SseImm(SseOp.Pshufd, x, x, 0x00);
                break;
            case VLoadSplat:
                a.Movq(x, m);
                a.Sse(SseOp.Punpcklqdq, x, x);
                break;
            // movss and movq zero the rest of the register: load_zero.
            case VLoadZero { Size: Sz.S32 }: a.MovssLoad(x, m); break;
            default: a.Movq(x, m); break;
        }
        ReleaseAddress(addr);
        PushV128(x);
    }

    void VectorLoadLane(VLoadLane l)
    {
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref addr);
        var x = OwnXmm(v);
        var w = LaneWidth(l.Size);
        var m = Address(l.Mem, addr, l.Arg.Offset, w.Bytes());
        a.Pinsr(w, x, m, l.Lane);
        ReleaseAddress(addr);
        PushV128(x);
    }

    void VectorStore(VStore s)
    {
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref addr);
        var x = ReadXmm(v);
        var m = Address(s.Mem, addr, s.Arg.Offset, 16);
        a.Movdqu(m, x);
        ReleaseAddress(addr);
        ReleaseRead(v, x);
        Release(v);
    }

    void VectorStoreLane(VStoreLane s)
    {
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref addr);
        var x = ReadXmm(v);
        var w = LaneWidth(s.Size);
        var m = Address(s.Mem, addr, s.Arg.Offset, w.Bytes());
        a.Pextr(w, m, x, s.Lane);
        ReleaseAddress(addr);
        ReleaseRead(v, x);
        Release(v);
    }

    static Width LaneWidth(Sz size) => size switch
    {
        Sz.S8 => Width.W8, Sz.S16 => Width.W16, Sz.S32 => Width.W32, _ => Width.W64,
    };
}
