using System.Runtime.Intrinsics.X86;
using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// §4.4.1 Numeric instructions (spectec 4.3-execution.instructions, "Numeric instructions"): each operator as the
// x86 instruction or short sequence that computes exactly the spec's $binop_, $unop_, $relop_, $cvtop__. Operands
// that are constants are folded (by the runtime's Numerics, the same functions the interpreter uses) or become
// immediates; comparisons leave their result in the flags for a following branch or select.

internal sealed partial class FunctionCompiler
{
    static VClass ClassOf(NumType t) => t switch
    {
        NumType.I32 => VClass.I32, NumType.I64 => VClass.I64, NumType.F32 => VClass.F32, _ => VClass.F64,
    };

    static Width WidthOf(NumType t) => t is NumType.I32 or NumType.F32 ? Width.W32 : Width.W64;

    // ---- Constants ----

    void Const(Const c) => Push(Entry.Constant(ClassOf(c.Type), c.Bits));

    // ---- Integer operators ----

    void Binop(Binop b)
    {
        if (b.Type is NumType.F32 or NumType.F64) { FloatBinop(b); return; }
        var rhs = Pop();
        var lhs = Pop();
        if (lhs.Kind == Kind.Const && rhs.Kind == Kind.Const && Numerics.binop(b.Type, b.Op, lhs.Bits, rhs.Bits) is { } folded)
        {
            Push(Entry.Constant(ClassOf(b.Type), folded));
            return;
        }
        var w = WidthOf(b.Type);
        var cls = ClassOf(b.Type);
        switch (b.Op)
        {
            case BinOp.Add or BinOp.And or BinOp.Or or BinOp.Xor:
            {
                var op = b.Op switch { BinOp.Add => AluOp.Add, BinOp.And => AluOp.And, BinOp.Or => AluOp.Or, _ => AluOp.Xor };
                if (lhs.Kind != Kind.Reg && rhs.Kind == Kind.Reg || lhs.Kind == Kind.Const) (lhs, rhs) = (rhs, lhs);
                if (b.Op == BinOp.Add && lhs.Kind == Kind.Local && LocalInReg(lhs.Local)
                    && (FitsImm32(rhs) || rhs.Kind == Kind.Local && LocalInReg(rhs.Local)))
                {
                    // lea leaves the pinned locals alone: no copy first.
                    var d = AllocGpr();
                    var l = (Reg)localReg[lhs.Local];
                    a.Lea(w, d, FitsImm32(rhs) ? Mem.At(l, (int)rhs.Bits) : Mem.At(l, (Reg)localReg[rhs.Local], 1));
                    PushGpr(cls, d);
                    return;
                }
                var dst = OwnGpr(lhs);
                AluWith(op, w, dst, rhs);
                Release(rhs);
                PushGpr(cls, dst);
                return;
            }
            case BinOp.Sub:
            {
                var dst = OwnGpr(lhs);
                AluWith(AluOp.Sub, w, dst, rhs);
                Release(rhs);
                PushGpr(cls, dst);
                return;
            }
            case BinOp.Mul:
            {
                if (lhs.Kind != Kind.Reg && rhs.Kind == Kind.Reg || lhs.Kind == Kind.Const) (lhs, rhs) = (rhs, lhs);
                if (FitsImm32(rhs))
                {
                    var src = ReadGpr(lhs);
                    ReleaseRead(lhs, src);
                    Release(lhs);
                    var d = AllocGpr();
                    a.Imul(w, d, src, (int)rhs.Bits);
                    PushGpr(cls, d);
                    return;
                }
                var dst = OwnGpr(lhs);
                if (MemoryOf(rhs) is { } m) a.Imul(w, dst, m);
                else
                {
                    var r = ReadGpr(rhs);
                    a.Imul(w, dst, r);
                    ReleaseRead(rhs, r);
                }
                Release(rhs);
                PushGpr(cls, dst);
                return;
            }
            case BinOp.DivS or BinOp.DivU or BinOp.RemS or BinOp.RemU:
                Divide(b.Op, w, cls, lhs, rhs);
                return;
            default:
                Shift(b.Op, w, cls, lhs, rhs);
                return;
        }
    }

    /// <summary>idiv/div with the spec's traps: "integer divide by zero"; "integer overflow" for MIN / -1 (whose
    /// remainder is 0, where x86 would fault).</summary>
    void Divide(BinOp op, Width w, VClass cls, Entry lhs, Entry rhs)
    {
        bool signed = op is BinOp.DivS or BinOp.RemS;
        bool rem = op is BinOp.RemS or BinOp.RemU;
        ulong min = w == Width.W32 ? 0x8000_0000UL : 0x8000_0000_0000_0000UL;
        if (rhs.Kind == Kind.Const)
        {
            ulong d = w == Width.W32 ? (uint)rhs.Bits : rhs.Bits;
            if (d == 0)
            {
                Release(lhs);
                a.Jmp(TrapLabel(TrapCode.IntegerDivideByZero));
                Push(Entry.Constant(cls, 0));
                return;
            }
            if (!signed && (d & (d - 1)) == 0)
            {
                // A power of two: a shift or a mask.
                var dst = OwnGpr(lhs);
                if (rem) AluMask(w, dst, d - 1);
                else if (d > 1) a.Shift(ShiftOp.Shr, w, dst, (byte)System.Numerics.BitOperations.TrailingZeroCount(d));
                PushGpr(cls, dst);
                return;
            }
        }
        bool minusOnePossible = signed && !(rhs.Kind == Kind.Const && (w == Width.W32 ? (uint)rhs.Bits != 0xFFFF_FFFF : rhs.Bits != ulong.MaxValue));
        // The divisor in a register other than rax and rdx; the dividend in rax.
        Reg dv;
        bool ownDv = true;
        if (rhs.Kind == Kind.Reg && rhs.Gpr is not (Rax or Rdx)) dv = rhs.Gpr;
        else if (rhs.Kind == Kind.Local && LocalInReg(rhs.Local)) { dv = (Reg)localReg[rhs.Local]; ownDv = false; }
        else
        {
            dv = AllocGpr((1 << (int)Rax) | (1 << (int)Rdx));
            LoadGpr(dv, rhs);
            Release(rhs);
        }
        if (!(lhs.Kind == Kind.Reg && lhs.Gpr == Rax))
        {
            Claim(Rax);
            LoadGpr(Rax, lhs);
            Release(lhs);
        }
        Claim(Rdx);
        if (rhs.Kind != Kind.Const)
        {
            a.Test(w, dv, dv);
            a.Jcc(Cond.E, TrapLabel(TrapCode.IntegerDivideByZero));
        }
        var done = a.NewLabel();
        if (minusOnePossible)
        {
            var normal = a.NewLabel();
            a.Alu(AluOp.Cmp, w, dv, -1);
            a.Jcc(Cond.NE, normal);
            if (rem)
            {
                a.Alu(AluOp.Xor, Width.W32, Rdx, Rdx);
                a.Jmp(done);
            }
            else
            {
                a.MovImm(Scratch, min);
                a.Alu(AluOp.Cmp, w, Rax, Scratch);
                a.Jcc(Cond.E, TrapLabel(TrapCode.IntegerOverflow));
            }
            a.Bind(normal);
        }
        if (signed)
        {
            if (w == Width.W32) a.Cdq(); else a.Cqo();
            a.Unary(UnaryOp.Idiv, w, dv);
        }
        else
        {
            a.Alu(AluOp.Xor, Width.W32, Rdx, Rdx);
            a.Unary(UnaryOp.Div, w, dv);
        }
        a.Bind(done);
        if (ownDv) Release(dv);
        if (rem) { Release(Rax); PushGpr(cls, Rdx); }
        else { Release(Rdx); PushGpr(cls, Rax); }
    }

    /// <summary>dst &amp;= mask, through the scratch register when the mask is no sign-extended imm32.</summary>
    void AluMask(Width w, Reg dst, ulong mask)
    {
        if (mask <= int.MaxValue) a.Alu(AluOp.And, w, dst, (int)mask);
        else if (w == Width.W32) a.Alu(AluOp.And, w, dst, (int)(uint)mask);
        else
        {
            a.MovImm(Scratch, mask);
            a.Alu(AluOp.And, w, dst, Scratch);
        }
    }

    void Shift(BinOp op, Width w, VClass cls, Entry lhs, Entry rhs)
    {
        var sop = op switch
        {
            BinOp.Shl => ShiftOp.Shl, BinOp.ShrS => ShiftOp.Sar, BinOp.ShrU => ShiftOp.Shr, BinOp.Rotl => ShiftOp.Rol, _ => ShiftOp.Ror,
        };
        if (rhs.Kind == Kind.Const)
        {
            var dst = OwnGpr(lhs);
            int n = (int)(rhs.Bits & (w == Width.W32 ? 31UL : 63UL));
            if (n != 0) a.Shift(sop, w, dst, (byte)n);
            PushGpr(cls, dst);
            return;
        }
        var d = OwnGpr(lhs, 1 << (int)Rcx);
        if (!(rhs.Kind == Kind.Reg && rhs.Gpr == Rcx))
        {
            Claim(Rcx);
            LoadGpr(Rcx, rhs);
            Release(rhs);
        }
        a.ShiftCl(sop, w, d);
        Release(Rcx);
        PushGpr(cls, d);
    }

    void Unop(Unop u)
    {
        if (u.Type is NumType.F32 or NumType.F64) { FloatUnop(u); return; }
        var e = Pop();
        if (e.Kind == Kind.Const) { Push(Entry.Constant(ClassOf(u.Type), Numerics.unop(u.Type, u.Op, e.Bits))); return; }
        var w = WidthOf(u.Type);
        var cls = ClassOf(u.Type);
        switch (u.Op)
        {
            case UnOp.Clz or UnOp.Ctz or UnOp.Popcnt:
            {
                var src = ReadGpr(e);
                ReleaseRead(e, src);
                Release(e);
                var d = AllocGpr();
                BitCount(u.Op, w, d, src);
                PushGpr(cls, d);
                return;
            }
            default:
            {
                // extend8_s, extend16_s, extend32_s: sign-extend the low bits in place.
                var src = ReadGpr(e);
                ReleaseRead(e, src);
                Release(e);
                var d = AllocGpr();
                var from = u.Op switch { UnOp.Extend8S => Width.W8, UnOp.Extend16S => Width.W16, _ => Width.W32 };
                a.Movsx(w, d, from, src);
                PushGpr(cls, d);
                return;
            }
        }
    }

    /// <summary>clz, ctz, popcnt; without LZCNT/TZCNT, bsr/bsf with the zero case mended.</summary>
    void BitCount(UnOp op, Width w, Reg d, Reg src)
    {
        int width = w == Width.W32 ? 32 : 64;
        switch (op)
        {
            case UnOp.Popcnt: a.BitCount(BitOp.Popcnt, w, d, src); break;
            case UnOp.Clz when Lzcnt.IsSupported: a.BitCount(BitOp.Lzcnt, w, d, src); break;
            case UnOp.Ctz when Bmi1.IsSupported: a.BitCount(BitOp.Tzcnt, w, d, src); break;
            case UnOp.Clz:
                a.BitCount(BitOp.Bsr, w, d, src);
                a.MovImm(Scratch, ulong.MaxValue);
                a.Cmov(Cond.E, w, d, Scratch);
                a.Unary(UnaryOp.Neg, w, d);
                a.Alu(AluOp.Add, w, d, width - 1);
                break;
            default:
                a.BitCount(BitOp.Bsf, w, d, src);
                a.MovImm(Scratch, (ulong)width);
                a.Cmov(Cond.E, w, d, Scratch);
                break;
        }
    }

    void Testop(Testop t)
    {
        var e = Pop();
        if (e.Kind == Kind.Const) { Push(Entry.Constant(VClass.I32, Numerics.testop(t.Type, t.Op, e.Bits))); return; }
        if (e.Kind == Kind.Flags) { Push(Entry.Condition(e.Cond.Negate())); return; }
        var w = WidthOf(t.Type);
        if (MemoryOf(e) is { } m) a.Alu(AluOp.Cmp, w, m, 0);
        else
        {
            var r = ReadGpr(e);
            a.Test(w, r, r);
            ReleaseRead(e, r);
        }
        Release(e);
        Push(Entry.Condition(Cond.E));
    }

    void Relop(Relop r)
    {
        if (r.Type is NumType.F32 or NumType.F64) { FloatRelop(r); return; }
        var rhs = Pop();
        var lhs = Pop();
        if (lhs.Kind == Kind.Const && rhs.Kind == Kind.Const)
        {
            Push(Entry.Constant(VClass.I32, Numerics.relop(r.Type, r.Op, lhs.Bits, rhs.Bits)));
            return;
        }
        var cond = r.Op switch
        {
            RelOp.Eq => Cond.E, RelOp.Ne => Cond.NE, RelOp.LtS => Cond.L, RelOp.LtU => Cond.B, RelOp.GtS => Cond.G,
            RelOp.GtU => Cond.A, RelOp.LeS => Cond.LE, RelOp.LeU => Cond.BE, RelOp.GeS => Cond.GE, _ => Cond.AE,
        };
        if (lhs.Kind == Kind.Const) { (lhs, rhs) = (rhs, lhs); cond = Swapped(cond); }
        var w = WidthOf(r.Type);
        if (MemoryOf(lhs) is { } m && (FitsImm32(rhs) || rhs.Kind == Kind.Reg || rhs.Kind == Kind.Local && LocalInReg(rhs.Local)))
        {
            if (FitsImm32(rhs)) a.Alu(AluOp.Cmp, w, m, (int)rhs.Bits);
            else a.Alu(AluOp.Cmp, w, m, ReadGpr(rhs));
        }
        else
        {
            var l = ReadGpr(lhs);
            AluWith(AluOp.Cmp, w, l, rhs);
            ReleaseRead(lhs, l);
        }
        Release(lhs);
        Release(rhs);
        Push(Entry.Condition(cond));
    }

    /// <summary>The condition that holds for (b, a) when <paramref name="c"/> holds for (a, b).</summary>
    static Cond Swapped(Cond c) => c switch
    {
        Cond.L => Cond.G, Cond.G => Cond.L, Cond.LE => Cond.GE, Cond.GE => Cond.LE,
        Cond.B => Cond.A, Cond.A => Cond.B, Cond.BE => Cond.AE, Cond.AE => Cond.BE,
        _ => c,
    };

    // ---- Float operators ----

    static bool IsF32(NumType t) => t == NumType.F32;

    /// <summary>With the canonical-NaN option: a NaN result becomes the positive canonical NaN, bit for bit the interpreter's.</summary>
    void Canonicalize(NumType t, Xmm x)
    {
        if (!mc.CanonicalNaNs) return;
        var ok = a.NewLabel();
        a.Sse(IsF32(t) ? SseOp.Ucomiss : SseOp.Ucomisd, x, x);
        a.Jcc(Cond.NP, ok);
        if (IsF32(t)) a.MovssLoad(x, Mem.Rip(mc.Constant(Numerics.CanonicalNaN32Bits, 0)));
        else a.MovsdLoad(x, Mem.Rip(mc.Constant(Numerics.CanonicalNaN64Bits, 0)));
        a.Bind(ok);
    }

    void FloatBinop(Binop b)
    {
        var rhs = Pop();
        var lhs = Pop();
        var cls = ClassOf(b.Type);
        if (lhs.Kind == Kind.Const && rhs.Kind == Kind.Const)
        {
            Push(Entry.Constant(cls, Numerics.binop(b.Type, b.Op, lhs.Bits, rhs.Bits)!.Value));
            return;
        }
        bool f32 = IsF32(b.Type);
        switch (b.Op)
        {
            case BinOp.Min or BinOp.Max:
                MinMax(b.Type, b.Op == BinOp.Min, lhs, rhs);
                return;
            case BinOp.Copysign:
            {
                var dst = OwnXmm(lhs);
                var sign = OwnXmm(rhs, 1 << (int)dst);
                ulong signBit = f32 ? 0x8000_0000UL : 0x8000_0000_0000_0000UL;
                a.Sse(f32 ? SseOp.Andps : SseOp.Andpd, dst, Mem.Rip(mc.Constant(~signBit & (f32 ? 0xFFFF_FFFFUL : ulong.MaxValue), 0)));
                a.Sse(f32 ? SseOp.Andps : SseOp.Andpd, sign, Mem.Rip(mc.Constant(signBit, 0)));
                a.Sse(f32 ? SseOp.Orps : SseOp.Orpd, dst, sign);
                Release(sign);
                PushXmm(cls, dst);
                return;
            }
            default:
            {
                var op = (b.Op, f32) switch
                {
                    (BinOp.Add, true) => SseOp.Addss, (BinOp.Add, false) => SseOp.Addsd,
                    (BinOp.Sub, true) => SseOp.Subss, (BinOp.Sub, false) => SseOp.Subsd,
                    (BinOp.Mul, true) => SseOp.Mulss, (BinOp.Mul, false) => SseOp.Mulsd,
                    (BinOp.Div, true) => SseOp.Divss, _ => SseOp.Divsd,
                };
                if (b.Op is BinOp.Add or BinOp.Mul && lhs.Kind != Kind.Reg && rhs.Kind == Kind.Reg) (lhs, rhs) = (rhs, lhs);
                var dst = OwnXmm(lhs);
                SseWith(op, dst, rhs);
                Release(rhs);
                Canonicalize(b.Type, dst);
                PushXmm(cls, dst);
                return;
            }
        }
    }

    /// <summary>$fmin_N / $fmax_N: a NaN operand wins (propagated by an add, which keeps it an arithmetic NaN),
    /// and -0 is below +0 (the sign bits are or-ed for min, and-ed for max, when the operands compare equal).</summary>
    void MinMax(NumType t, bool min, Entry lhs, Entry rhs)
    {
        bool f32 = IsF32(t);
        var dst = OwnXmm(lhs);
        var src = ReadXmm(rhs);
        var nan = a.NewLabel();
        var equal = a.NewLabel();
        var done = a.NewLabel();
        a.Sse(f32 ? SseOp.Ucomiss : SseOp.Ucomisd, dst, src);
        a.Jcc(Cond.P, nan);
        a.Jcc(Cond.E, equal);
        a.Sse(min ? (f32 ? SseOp.Minss : SseOp.Minsd) : (f32 ? SseOp.Maxss : SseOp.Maxsd), dst, src);
        a.Jmp(done);
        a.Bind(equal);
        a.Sse(min ? (f32 ? SseOp.Orps : SseOp.Orpd) : (f32 ? SseOp.Andps : SseOp.Andpd), dst, src);
        a.Jmp(done);
        a.Bind(nan);
        a.Sse(f32 ? SseOp.Addss : SseOp.Addsd, dst, src);
        a.Bind(done);
        ReleaseRead(rhs, src);
        Release(rhs);
        Canonicalize(t, dst);
        PushXmm(ClassOf(t), dst);
    }

    void FloatUnop(Unop u)
    {
        var e = Pop();
        var cls = ClassOf(u.Type);
        if (e.Kind == Kind.Const) { Push(Entry.Constant(cls, Numerics.unop(u.Type, u.Op, e.Bits))); return; }
        bool f32 = IsF32(u.Type);
        ulong signBit = f32 ? 0x8000_0000UL : 0x8000_0000_0000_0000UL;
        switch (u.Op)
        {
            case UnOp.Abs or UnOp.Neg:
            {
                // Bit operations: the NaN payload stays as it was.
                var dst = OwnXmm(e);
                if (u.Op == UnOp.Abs)
                    a.Sse(f32 ? SseOp.Andps : SseOp.Andpd, dst, Mem.Rip(mc.Constant(~signBit & (f32 ? 0xFFFF_FFFFUL : ulong.MaxValue), 0)));
                else a.Sse(f32 ? SseOp.Xorps : SseOp.Xorpd, dst, Mem.Rip(mc.Constant(signBit, 0)));
                PushXmm(cls, dst);
                return;
            }
            case UnOp.Sqrt:
            {
                var dst = OwnXmm(e);
                a.Sse(f32 ? SseOp.Sqrtss : SseOp.Sqrtsd, dst, dst);
                Canonicalize(u.Type, dst);
                PushXmm(cls, dst);
                return;
            }
            default:
            {
                byte mode = u.Op switch { UnOp.Nearest => 0, UnOp.Floor => 1, UnOp.Ceil => 2, _ => 3 };
                var dst = OwnXmm(e);
                a.SseImm(f32 ? SseOp.Roundss : SseOp.Roundsd, dst, dst, (byte)(mode | 8));
                Canonicalize(u.Type, dst);
                PushXmm(cls, dst);
                return;
            }
        }
    }

    void FloatRelop(Relop r)
    {
        var rhs = Pop();
        var lhs = Pop();
        if (lhs.Kind == Kind.Const && rhs.Kind == Kind.Const)
        {
            Push(Entry.Constant(VClass.I32, Numerics.relop(r.Type, r.Op, lhs.Bits, rhs.Bits)));
            return;
        }
        // ucomis sets ZF, PF, CF = 1,1,1 when unordered: "above" and "above or equal" are false then, as the spec wants.
        if (r.Op is RelOp.Lt or RelOp.Le) (lhs, rhs) = (rhs, lhs);
        var op = IsF32(r.Type) ? SseOp.Ucomiss : SseOp.Ucomisd;
        var l = ReadXmm(lhs);
        SseWith(op, l, rhs);
        ReleaseRead(lhs, l);
        Release(lhs);
        Release(rhs);
        switch (r.Op)
        {
            case RelOp.Gt or RelOp.Lt: Push(Entry.Condition(Cond.A)); return;
            case RelOp.Ge or RelOp.Le: Push(Entry.Condition(Cond.AE)); return;
        }
        // eq: ZF and not PF; ne: not ZF or PF.
        var d = AllocGpr();
        bool eq = r.Op == RelOp.Eq;
        a.Setcc(eq ? Cond.E : Cond.NE, d);
        a.Setcc(eq ? Cond.NP : Cond.P, Scratch);
        a.Alu(eq ? AluOp.And : AluOp.Or, Width.W8, d, Scratch);
        a.Movzx(d, Width.W8, d);
        PushGpr(VClass.I32, d);
    }

    // ---- Conversions ----

    void Cvtop(Cvtop c)
    {
        var e = Pop();
        var to = ClassOf(c.To);
        if (e.Kind == Kind.Const)
        {
            if (Numerics.cvtop(c.From, c.To, c.Op, e.Bits) is { } folded) { Push(Entry.Constant(to, folded)); return; }
            Push(e); // traps: compiled below like any operand
            e = Pop();
        }
        switch (c.Op)
        {
            case CvtOp.Wrap:
            {
                var d = OwnGpr(e);
                a.Mov(Width.W32, d, d);
                PushGpr(VClass.I32, d);
                return;
            }
            case CvtOp.ExtendU:
            {
                // An i32 in a register already has its upper half clear.
                var d = OwnGpr(e);
                PushGpr(VClass.I64, d);
                return;
            }
            case CvtOp.ExtendS:
            {
                var src = ReadGpr(e);
                ReleaseRead(e, src);
                Release(e);
                var d = AllocGpr();
                a.Movsx(Width.W64, d, Width.W32, src);
                PushGpr(VClass.I64, d);
                return;
            }
            case CvtOp.Reinterpret:
                Reinterpret(e, c.To);
                return;
            case CvtOp.Promote or CvtOp.Demote:
            {
                var d = OwnXmm(e);
                a.Sse(c.Op == CvtOp.Promote ? SseOp.Cvtss2sd : SseOp.Cvtsd2ss, d, d);
                Canonicalize(c.To, d);
                PushXmm(to, d);
                return;
            }
            case CvtOp.ConvertS or CvtOp.ConvertU:
                Convert(c, e);
                return;
            default:
                Truncate(c, e);
                return;
        }
    }

    void Reinterpret(Entry e, NumType to)
    {
        var cls = ClassOf(to);
        if (to is NumType.F32 or NumType.F64)
        {
            var src = ReadGpr(e);
            ReleaseRead(e, src);
            Release(e);
            var x = AllocXmm();
            a.MovdToXmm(WidthOf(to), x, src);
            PushXmm(cls, x);
        }
        else
        {
            var src = ReadXmm(e);
            ReleaseRead(e, src);
            Release(e);
            var d = AllocGpr();
            a.MovdFromXmm(WidthOf(to), d, src);
            PushGpr(cls, d);
        }
    }

    /// <summary>Integer to float ($convert__): one cvtsi2s* except from u64, which halves (keeping the low bit sticky) and doubles.</summary>
    void Convert(Cvtop c, Entry e)
    {
        bool f32 = IsF32(c.To);
        var src = ReadGpr(e);
        ReleaseRead(e, src);
        Release(e);
        var x = AllocXmm();
        a.Sse(SseOp.Xorps, x, x); // cvtsi2s* only writes the low lanes: break the dependency on the old value
        void Cvt(Width w, Reg r) { if (f32) a.Cvtsi2ss(w, x, r); else a.Cvtsi2sd(w, x, r); }
        if (c.From == NumType.I32) Cvt(c.Op == CvtOp.ConvertS ? Width.W32 : Width.W64, src); // a u32 is a non-negative i64
        else if (c.Op == CvtOp.ConvertS) Cvt(Width.W64, src);
        else
        {
            var big = a.NewLabel();
            var done = a.NewLabel();
            a.Test(Width.W64, src, src);
            a.Jcc(Cond.S, big);
            Cvt(Width.W64, src);
            a.Jmp(done);
            a.Bind(big);
            var t = AllocGpr();
            a.Mov(Width.W64, Scratch, src);
            a.Shift(ShiftOp.Shr, Width.W64, Scratch, 1);
            a.Mov(Width.W64, t, src);
            a.Alu(AluOp.And, Width.W32, t, 1);
            a.Alu(AluOp.Or, Width.W64, Scratch, t);
            Release(t);
            Cvt(Width.W64, Scratch);
            a.Sse(f32 ? SseOp.Addss : SseOp.Addsd, x, x);
            a.Bind(done);
        }
        PushXmm(ClassOf(c.To), x);
    }

    /// <summary>Float to integer: $trunc__ (trapping: "invalid conversion to integer" for NaN, "integer overflow"
    /// out of range) and $trunc_sat__ (NaN is 0, out of range clamps).</summary>
    void Truncate(Cvtop c, Entry e)
    {
        bool f32 = IsF32(c.From);
        bool signed = c.Op is CvtOp.TruncS or CvtOp.TruncSatS;
        bool sat = c.Op is CvtOp.TruncSatS or CvtOp.TruncSatU;
        bool to32 = c.To == NumType.I32;
        var x = ReadXmm(e);
        var d = AllocGpr();
        var done = a.NewLabel();
        var slow = a.NewLabel();
        var ucomis = f32 ? SseOp.Ucomiss : SseOp.Ucomisd;
        void Cvtt(Width w, Reg r, Xmm v) { if (f32) a.Cvttss2si(w, r, v); else a.Cvttsd2si(w, r, v); }
        Mem Const(double v) => Mem.Rip(f32 ? mc.Constant(Numerics.bits((float)v), 0) : mc.Constant(Numerics.bits(v), 0));
        // The out-of-range tail: NaN and the two sides.
        void Slow(Action below, Action above)
        {
            a.Bind(slow);
            if (sat)
            {
                var notNan = a.NewLabel();
                a.Sse(ucomis, x, x);
                a.Jcc(Cond.NP, notNan);
                a.Alu(AluOp.Xor, Width.W32, d, d);
                a.Jmp(done);
                a.Bind(notNan);
                var neg = a.NewLabel();
                a.Sse(ucomis, x, Const(0));
                a.Jcc(Cond.B, neg);
                above();
                a.Jmp(done);
                a.Bind(neg);
                below();
                a.Jmp(done);
            }
            else
            {
                a.Sse(ucomis, x, x);
                a.Jcc(Cond.P, TrapLabel(TrapCode.InvalidConversionToInteger));
                a.Jmp(TrapLabel(TrapCode.IntegerOverflow));
            }
        }
        if (signed)
        {
            var w = to32 ? Width.W32 : Width.W64;
            Cvtt(w, d, x);
            // The indefinite result MIN means NaN or out of range, unless the input truly truncates to MIN.
            a.Alu(AluOp.Cmp, w, d, 1);
            a.Jcc(Cond.O, slow);
            var lowest = to32 ? (f32 ? -2147483648.0 : -2147483649.0) : -9223372036854775808.0;
            var back = a.NewLabel();
            var tail = a.NewLabel();
            a.Jmp(back);
            a.Bind(slow);
            // MIN is right when x truncates to it: -2^31 - 1 < x <= -2^31 for f64 to i32; x = MIN exactly otherwise.
            a.Sse(ucomis, x, Const(lowest));
            if (to32 && !f32)
            {
                a.Jcc(Cond.BE, tail); // x <= lowest, or NaN
                a.Sse(ucomis, x, Const(-2147483648.0));
                a.Jcc(Cond.BE, back);
            }
            else
            {
                a.Jcc(Cond.P, tail);
                a.Jcc(Cond.E, back);
            }
            a.Bind(tail);
            if (sat)
            {
                var nan = a.NewLabel();
                a.Sse(ucomis, x, x);
                a.Jcc(Cond.P, nan);
                var neg = a.NewLabel();
                a.Sse(ucomis, x, Const(0));
                a.Jcc(Cond.B, neg);
                a.MovImm(d, to32 ? int.MaxValue : (ulong)long.MaxValue);
                a.Jmp(back);
                a.Bind(neg);
                a.MovImm(d, to32 ? 0x8000_0000UL : 0x8000_0000_0000_0000UL);
                a.Jmp(back);
                a.Bind(nan);
                a.Alu(AluOp.Xor, Width.W32, d, d);
                a.Jmp(back);
            }
            else
            {
                a.Sse(ucomis, x, x);
                a.Jcc(Cond.P, TrapLabel(TrapCode.InvalidConversionToInteger));
                a.Jmp(TrapLabel(TrapCode.IntegerOverflow));
            }
            a.Bind(back);
        }
        else if (to32)
        {
            // Unsigned to 32 bits: convert to 64 bits, where every valid input fits; anything with upper bits is out.
            Cvtt(Width.W64, d, x);
            a.Mov(Width.W64, Scratch, d);
            a.Shift(ShiftOp.Shr, Width.W64, Scratch, 32);
            a.Jcc(Cond.NE, slow);
            a.Bind(done);
            var back = a.NewLabel();
            a.Jmp(back);
            Slow(() => a.Alu(AluOp.Xor, Width.W32, d, d), () => a.MovImm(d, uint.MaxValue));
            a.Bind(back);
        }
        else
        {
            // Unsigned to 64 bits: below 2^63 directly, above it after subtracting 2^63.
            var big = a.NewLabel();
            a.Sse(ucomis, x, Const(9223372036854775808.0));
            a.Jcc(Cond.AE, big);
            Cvtt(Width.W64, d, x);
            a.Test(Width.W64, d, d);
            a.Jcc(Cond.S, slow);
            a.Jmp(done);
            a.Bind(big);
            var t = AllocXmm();
            a.Sse(SseOp.Movdqa, t, x);
            a.Sse(f32 ? SseOp.Subss : SseOp.Subsd, t, Const(9223372036854775808.0));
            Cvtt(Width.W64, d, t);
            Release(t);
            a.Test(Width.W64, d, d);
            a.Jcc(Cond.S, slow);
            a.MovImm(Scratch, 0x8000_0000_0000_0000UL);
            a.Alu(AluOp.Xor, Width.W64, d, Scratch);
            a.Jmp(done);
            Slow(() => a.Alu(AluOp.Xor, Width.W32, d, d), () => a.MovImm(d, ulong.MaxValue));
            a.Bind(done);
        }
        ReleaseRead(e, x);
        Release(e);
        PushGpr(ClassOf(c.To), d);
    }
}
