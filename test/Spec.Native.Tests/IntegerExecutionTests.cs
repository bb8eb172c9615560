using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Native.X64;

namespace Spec.Native.Tests;

// The integer instructions run: small functions built with the emitter, called natively, against C# arithmetic.

[NonParallelizable]
public unsafe class IntegerExecutionTests
{
    static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400);

    /// <summary>64-bit words: edge values, small signed values and uniformly random ones.</summary>
    internal static readonly Gen<ulong> Word = Gen.OneOf(
        Gen.Elements(0UL, 1UL, 2UL, 0x7FUL, 0x80UL, 0xFFUL, 0x7FFF_FFFFUL, 0x8000_0000UL, 0xFFFF_FFFFUL, 0x1_0000_0000UL,
            0x7FFF_FFFF_FFFF_FFFFUL, 0x8000_0000_0000_0000UL, ulong.MaxValue, 0xFFFF_FFFF_8000_0000UL),
        Gen.Choose(-300, 300).Select(x => (ulong)(long)x),
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)hi << 32) | (uint)lo);

    static readonly Width[] Wide = [Width.W32, Width.W64];
    static readonly Reg[] Scratch = [Reg.Rax, Reg.Rcx, Reg.R8, Reg.R9, Reg.R10, Reg.R11];
    static readonly int[] Imms = [0, 1, -1, 127, 128, -128, -129, int.MinValue, int.MaxValue];

    // Two different scratch registers for the k-th case, so the cases between them use all of them.
    static (Reg D, Reg S) Pick(int k) => (Scratch[k % 6], Scratch[(k + 1 + k / 6 % 5) % 6]);

    // neg sets CF exactly when its operand is non-zero: a carry-in for adc, sbb, rcl and rcr from an argument.
    static void CarryFrom(Assembler a, Reg r) => a.Unary(UnaryOp.Neg, Width.W64, r);

    static ulong AluRef(AluOp op, Width w, ulong a, ulong b, bool cf) => Assembled.Cut(w, op switch
    {
        AluOp.Add => a + b,
        AluOp.Or => a | b,
        AluOp.Adc => a + b + (cf ? 1UL : 0),
        AluOp.Sbb => a - b - (cf ? 1UL : 0),
        AluOp.And => a & b,
        AluOp.Sub => a - b,
        AluOp.Xor => a ^ b,
        _ => a, // cmp writes nothing
    });

    [Test]
    public void Every_alu_operation_in_every_form_at_32_and_64_bits()
    {
        // ByPointer: the function takes &b (the memory forms), else b.
        var cases = new List<(string Name, bool ByPointer, Func<ulong, ulong, bool, ulong> Expected)>();
        var bodies = new List<Action<Assembler>>();
        int k = 0;
        foreach (var op in Enum.GetValues<AluOp>())
            foreach (var w in Wide)
            {
                var (d, s) = Pick(k++);
                // fn(a, b, carry): d = a; d op= b
                cases.Add(($"{op} {w} {d},{s}", false, (a, b, c) => AluRef(op, w, a, b, c)));
                bodies.Add(x => { x.Mov(w, d, Reg.Rdi); x.Mov(Width.W64, s, Reg.Rsi); CarryFrom(x, Reg.Rdx); x.Alu(op, w, d, s); x.Mov(Width.W64, Reg.Rax, d); x.Ret(); });
                // fn(a, &b, carry): d = a; d op= [&b]
                cases.Add(($"{op} {w} {d},[rsi]", true, (a, b, c) => AluRef(op, w, a, b, c)));
                bodies.Add(x => { x.Mov(w, d, Reg.Rdi); CarryFrom(x, Reg.Rdx); x.Alu(op, w, d, Mem.At(Reg.Rsi)); x.Mov(Width.W64, Reg.Rax, d); x.Ret(); });
                // fn(a, &b, carry): [&b] op= a; return [&b]
                cases.Add(($"{op} {w} [rsi],{d}", true, (a, b, c) => AluRef(op, w, b, a, c)));
                bodies.Add(x => { x.Mov(Width.W64, d, Reg.Rdi); CarryFrom(x, Reg.Rdx); x.Alu(op, w, Mem.At(Reg.Rsi), d); x.Mov(w, Reg.Rax, Mem.At(Reg.Rsi)); x.Ret(); });
                foreach (int imm in Imms)
                {
                    ulong b = w == Width.W64 ? (ulong)(long)imm : (uint)imm;
                    cases.Add(($"{op} {w} {d},{imm}", false, (a, _, c) => AluRef(op, w, a, b, c)));
                    bodies.Add(x => { x.Mov(w, d, Reg.Rdi); CarryFrom(x, Reg.Rdx); x.Alu(op, w, d, imm); x.Mov(Width.W64, Reg.Rax, d); x.Ret(); });
                    cases.Add(($"{op} {w} [rsi],{imm}", true, (_, bb, c) => AluRef(op, w, bb, b, c)));
                    bodies.Add(x => { CarryFrom(x, Reg.Rdx); x.Alu(op, w, Mem.At(Reg.Rsi), imm); x.Mov(w, Reg.Rax, Mem.At(Reg.Rsi)); x.Ret(); });
                }
            }
        var (code, entries) = Assembled.Many(bodies);
        using (code)
            Prop.ForAll(Word.ToArbitrary(), Word.ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (a, b, c) =>
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    ulong cell = b;
                    var f = (delegate* unmanaged<ulong, ulong, ulong, ulong>)(code.Address + entries[i]);
                    ulong actual = f(a, cases[i].ByPointer ? (ulong)&cell : b, c ? 1UL : 0);
                    Assert.That(actual, Is.EqualTo(cases[i].Expected(a, b, c)), () => $"{cases[i].Name} a=0x{a:x} b=0x{b:x} cf={c}");
                }
            }).Check(Runs);
    }

    static ulong ShiftRef(ShiftOp op, Width w, ulong x, int n, bool cf)
    {
        int bits = w.Bits();
        n &= bits == 64 ? 63 : 31;
        x = Assembled.Cut(w, x);
        ulong top = 1UL << (bits - 1);
        switch (op)
        {
            case ShiftOp.Shl or ShiftOp.Sal: return Assembled.Cut(w, x << n);
            case ShiftOp.Shr: return x >> n;
            case ShiftOp.Sar: return Assembled.Cut(w, (ulong)(Assembled.Signed(w, x) >> n));
            case ShiftOp.Rol: return n == 0 ? x : Assembled.Cut(w, (x << n) | (x >> (bits - n)));
            case ShiftOp.Ror: return n == 0 ? x : Assembled.Cut(w, (x >> n) | (x << (bits - n)));
            case ShiftOp.Rcl:
                for (int i = 0; i < n; i++)
                {
                    bool out_ = (x & top) != 0;
                    x = Assembled.Cut(w, (x << 1) | (cf ? 1UL : 0));
                    cf = out_;
                }
                return x;
            default: // Rcr
                for (int i = 0; i < n; i++)
                {
                    bool out_ = (x & 1) != 0;
                    x = (x >> 1) | (cf ? top : 0);
                    cf = out_;
                }
                return x;
        }
    }

    static readonly byte[] Counts = [0, 1, 2, 5, 31, 32, 33, 63, 64, 255];

    [Test]
    public void Every_shift_and_rotate_by_immediate_and_by_cl_at_32_and_64_bits()
    {
        var cases = new List<(string Name, Func<ulong, int, bool, ulong> Expected)>();
        var bodies = new List<Action<Assembler>>();
        Reg[] notCl = [Reg.Rax, Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.Rdi];
        int k = 0;
        foreach (var op in Enum.GetValues<ShiftOp>())
            foreach (var w in Wide)
            {
                var d = notCl[k++ % notCl.Length];
                // fn(x, count, carry)
                cases.Add(($"{op} {w} {d},cl", (x, n, c) => ShiftRef(op, w, x, n, c)));
                bodies.Add(a => { a.Mov(Width.W64, Reg.Rcx, Reg.Rsi); a.Mov(w, d, Reg.Rdi); CarryFrom(a, Reg.Rdx); a.ShiftCl(op, w, d); a.Mov(Width.W64, Reg.Rax, d); a.Ret(); });
                foreach (byte n in Counts)
                {
                    cases.Add(($"{op} {w} {d},{n}", (x, _, c) => ShiftRef(op, w, x, n, c)));
                    bodies.Add(a => { a.Mov(w, d, Reg.Rdi); CarryFrom(a, Reg.Rdx); a.Shift(op, w, d, n); a.Mov(Width.W64, Reg.Rax, d); a.Ret(); });
                }
            }
        var (code, entries) = Assembled.Many(bodies);
        using (code)
            Prop.ForAll(Word.ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (x, n, c) =>
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    var f = (delegate* unmanaged<ulong, ulong, ulong, ulong>)(code.Address + entries[i]);
                    Assert.That(f(x, (ulong)n, c ? 1UL : 0), Is.EqualTo(cases[i].Expected(x, n, c)), () => $"{cases[i].Name} x=0x{x:x} n={n} cf={c}");
                }
            }).Check(Runs);
    }

    [Test]
    public void Multiplication_and_division_on_rdx_rax_with_not_and_neg()
    {
        // fn(a, b, out): out[0] = rax, out[1] = rdx after the operation on rax = a and b in a register.
        var cases = new List<(string Name, UnaryOp Op, Width W)>();
        var bodies = new List<Action<Assembler>>();
        int k = 0;
        foreach (var op in Enum.GetValues<UnaryOp>())
            foreach (var w in Wide)
            {
                var s = new[] { Reg.Rsi, Reg.R9, Reg.R10, Reg.Rcx }[k++ % 4];
                cases.Add(($"{op} {w} {s}", op, w));
                bodies.Add(a =>
                {
                    a.Mov(Width.W64, Reg.R8, Reg.Rdx);
                    a.Mov(Width.W64, s, Reg.Rsi);
                    a.Mov(Width.W64, Reg.Rax, Reg.Rdi);
                    a.MovImm(Reg.Rdx, 0x5555);      // must survive not and neg, and be replaced by the rest
                    if (op == UnaryOp.Div) a.Alu(AluOp.Xor, Width.W32, Reg.Rdx, Reg.Rdx);
                    if (op == UnaryOp.Idiv) { if (w == Width.W64) a.Cqo(); else a.Cdq(); }
                    a.Unary(op, w, op is UnaryOp.Not or UnaryOp.Neg ? Reg.Rax : s);
                    a.Mov(Width.W64, Mem.At(Reg.R8), Reg.Rax);
                    a.Mov(Width.W64, Mem.At(Reg.R8, 8), Reg.Rdx);
                    a.Ret();
                });
            }
        var (code, entries) = Assembled.Many(bodies);
        using (code)
            Prop.ForAll(Word.ToArbitrary(), Word.ToArbitrary(), (x, y) =>
            {
                var result = stackalloc ulong[2];
                for (int i = 0; i < cases.Count; i++)
                {
                    var (name, op, w) = cases[i];
                    ulong a = x, b = y, lo = Assembled.Cut(w, a), bw = Assembled.Cut(w, b);
                    long sa = Assembled.Signed(w, a), sb = Assembled.Signed(w, b);
                    int bits = w.Bits();
                    // A 32-bit result zeroes the upper half of its register; the untouched rdx keeps 0x5555.
                    (ulong Rax, ulong Rdx) expected;
                    switch (op)
                    {
                        case UnaryOp.Not: expected = (w == Width.W64 ? ~a : (uint)~a, 0x5555); break;
                        case UnaryOp.Neg: expected = (Assembled.Cut(w, 0 - a), 0x5555); break;
                        case UnaryOp.Mul:
                            {
                                var p = (UInt128)lo * bw;
                                expected = (Assembled.Cut(w, (ulong)p), Assembled.Cut(w, (ulong)(p >> bits)));
                                break;
                            }
                        case UnaryOp.Imul:
                            {
                                var p = (Int128)sa * sb;
                                expected = (Assembled.Cut(w, (ulong)p), Assembled.Cut(w, (ulong)(p >> bits)));
                                break;
                            }
                        case UnaryOp.Div:
                            if (bw == 0) continue; // #DE
                            expected = (lo / bw, lo % bw);
                            break;
                        default:
                            if (sb == 0 || (sb == -1 && sa == (w == Width.W64 ? long.MinValue : int.MinValue))) continue; // #DE
                            expected = (Assembled.Cut(w, (ulong)(sa / sb)), Assembled.Cut(w, (ulong)(sa % sb)));
                            break;
                    }
                    var f = (delegate* unmanaged<ulong, ulong, ulong*, void>)(code.Address + entries[i]);
                    f(a, b, result);
                    Assert.That((result[0], result[1]), Is.EqualTo(expected), () => $"{name} a=0x{a:x} b=0x{b:x}");
                }
            }).Check(Runs);
    }

    [Test]
    public void Imul_two_and_three_operand_forms()
    {
        var cases = new List<(string Name, Width W, long? Imm)>();
        var bodies = new List<Action<Assembler>>();
        int k = 0;
        foreach (var w in new[] { Width.W16, Width.W32, Width.W64 })
        {
            var (d, s) = Pick(k++);
            cases.Add(($"imul {w} {d},{s}", w, null));
            bodies.Add(a => { a.Mov(Width.W64, d, Reg.Rdi); a.Mov(Width.W64, s, Reg.Rsi); a.Imul(w, d, s); a.Mov(Width.W64, Reg.Rax, d); a.Ret(); });
            foreach (int imm in w == Width.W16 ? [0, 1, -1, 127, -128, 300, -32768, 32767] : Imms)
            {
                var (d2, s2) = Pick(k++);
                cases.Add(($"imul {w} {d2},{s2},{imm}", w, imm));
                bodies.Add(a => { a.Mov(Width.W64, d2, Reg.Rdi); a.Mov(Width.W64, s2, Reg.Rdi); a.Imul(w, d2, s2, imm); a.Mov(Width.W64, Reg.Rax, d2); a.Ret(); });
            }
        }
        var (code, entries) = Assembled.Many(bodies);
        using (code)
            Prop.ForAll(Word.ToArbitrary(), Word.ToArbitrary(), (a, b) =>
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    var (name, w, imm) = cases[i];
                    ulong product = a * (imm is { } v ? (ulong)v : b);
                    // A 16-bit result leaves the upper bits of its register alone (a's), a 32-bit one zeroes them.
                    ulong expected = w switch
                    {
                        Width.W16 => (a & ~0xFFFFUL) | (product & 0xFFFF),
                        Width.W32 => (uint)product,
                        _ => product,
                    };
                    var f = (delegate* unmanaged<ulong, ulong, ulong>)(code.Address + entries[i]);
                    Assert.That(f(a, b), Is.EqualTo(expected), () => $"{name} a=0x{a:x} b=0x{b:x}");
                }
            }).Check(Runs);
    }

    // The flags of cmp a, b at width w, and each condition read from them as the manuals define it.
    internal static bool Holds(Cond c, Width w, ulong a, ulong b)
    {
        ulong x = Assembled.Cut(w, a), y = Assembled.Cut(w, b), diff = Assembled.Cut(w, x - y);
        ulong top = 1UL << (w.Bits() - 1);
        bool cf = x < y, zf = diff == 0, sf = (diff & top) != 0, of = ((x ^ y) & (x ^ diff) & top) != 0;
        bool pf = BitOperations.PopCount(diff & 0xFF) % 2 == 0;
        return c switch
        {
            Cond.O => of, Cond.NO => !of, Cond.B => cf, Cond.AE => !cf, Cond.E => zf, Cond.NE => !zf,
            Cond.BE => cf || zf, Cond.A => !cf && !zf, Cond.S => sf, Cond.NS => !sf, Cond.P => pf, Cond.NP => !pf,
            Cond.L => sf != of, Cond.GE => sf == of, Cond.LE => zf || sf != of, _ => !zf && sf == of,
        };
    }

    [Test]
    public void Setcc_cmov_and_jcc_for_every_condition_after_a_compare()
    {
        var cases = new List<(string Name, Cond C, Width W)>();
        var bodies = new List<Action<Assembler>>();
        // The arguments are compared from r14 and r15, so every other register can take the result (sil, dil and bpl need REX).
        Reg[] targets = [Reg.Rax, Reg.Rcx, Reg.Rdx, Reg.Rbx, Reg.Rbp, Reg.Rsi, Reg.Rdi, Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13];
        int k = 0;
        foreach (var c in X.Conds)
            foreach (var w in new[] { Width.W8, Width.W16, Width.W32, Width.W64 })
            {
                // setcc into every register (spl..dil need REX): fn(a, b) = cond
                var r = targets[k++ % targets.Length];
                cases.Add(($"set{c} {w} {r}", c, w));
                bodies.Add(a =>
                {
                    Assembled.SaveAll(a);
                    a.Mov(Width.W64, Reg.R14, Reg.Rdi);
                    a.Mov(Width.W64, Reg.R15, Reg.Rsi);
                    a.MovImm(r, 0x1234_5600);
                    a.Alu(AluOp.Cmp, w, Reg.R14, Reg.R15);
                    a.Setcc(c, r);
                    a.Mov(Width.W64, Reg.Rax, r);
                    a.Alu(AluOp.Xor, Width.W64, Reg.Rax, 0x1234_5600); // what is left is the byte setcc wrote
                    Assembled.RestoreAllAndReturn(a);
                });
                if (w == Width.W8) continue;
                // cmov: fn(a, b) = cond ? 1 : 0
                cases.Add(($"cmov{c} {w}", c, w));
                bodies.Add(a => { a.MovImm(Reg.Rax, 0); a.MovImm(Reg.R11, 1); a.Alu(AluOp.Cmp, w, Reg.Rdi, Reg.Rsi); a.Cmov(c, w, Reg.Rax, Reg.R11); a.Ret(); });
                // jcc over a move: fn(a, b) = cond ? 1 : 0
                cases.Add(($"j{c} {w}", c, w));
                bodies.Add(a =>
                {
                    var taken = a.NewLabel();
                    a.MovImm(Reg.Rax, 1);
                    a.Alu(AluOp.Cmp, w, Reg.Rdi, Reg.Rsi);
                    a.Jcc(c, taken);
                    a.MovImm(Reg.Rax, 0);
                    a.Bind(taken);
                    a.Ret();
                });
            }
        var (code, entries) = Assembled.Many(bodies);
        // Equal and adjacent values too, where the conditions differ most.
        var pairs = Gen.OneOf(
            from a in Word from b in Word select (a, b),
            from a in Word from d in Gen.Choose(-2, 2) select (a, a + (ulong)(long)d));
        using (code)
            Prop.ForAll(pairs.ToArbitrary(), p =>
            {
                var (a, b) = p;
                for (int i = 0; i < cases.Count; i++)
                {
                    var (name, c, w) = cases[i];
                    var f = (delegate* unmanaged<ulong, ulong, ulong>)(code.Address + entries[i]);
                    Assert.That(f(a, b), Is.EqualTo(Holds(c, w, a, b) ? 1UL : 0UL), () => $"{name} a=0x{a:x} b=0x{b:x}");
                }
            }).Check(Runs);
    }

    [Test]
    public void Bit_counts_extensions_byte_swaps_and_constants()
    {
        var cases = new List<(string Name, Func<ulong, ulong> Expected)>();
        var bodies = new List<Action<Assembler>>();
        void Case(string name, Func<ulong, ulong> expected, Action<Assembler> body) { cases.Add((name, expected)); bodies.Add(body); }

        foreach (var w in new[] { Width.W16, Width.W32, Width.W64 })
        {
            int bits = w.Bits();
            // The 16-bit forms leave the upper bits alone: the result is read through movzx.
            Action<Assembler> Count(BitOp op) => a =>
            {
                a.MovImm(Reg.R9, 0);
                a.BitCount(op, w, Reg.R9, Reg.Rdi);
                if (w == Width.W16) a.Movzx(Reg.Rax, Width.W16, Reg.R9); else a.Mov(Width.W64, Reg.Rax, Reg.R9);
                a.Ret();
            };
            Case($"popcnt {w}", x => (ulong)BitOperations.PopCount(Assembled.Cut(w, x)), Count(BitOp.Popcnt));
            if (System.Runtime.Intrinsics.X86.Lzcnt.IsSupported)
                Case($"lzcnt {w}", x => (ulong)(BitOperations.LeadingZeroCount(Assembled.Cut(w, x)) - (64 - bits)), Count(BitOp.Lzcnt));
            if (System.Runtime.Intrinsics.X86.Bmi1.IsSupported)
                Case($"tzcnt {w}", x => Assembled.Cut(w, x) == 0 ? (ulong)bits : (ulong)BitOperations.TrailingZeroCount(x), Count(BitOp.Tzcnt));
            // bsf and bsr leave the destination undefined for zero: the property gives them non-zero input only.
            Case($"bsf {w}", x => Assembled.Cut(w, x) == 0 ? ulong.MaxValue : (ulong)BitOperations.TrailingZeroCount(x), Count(BitOp.Bsf));
            Case($"bsr {w}", x => Assembled.Cut(w, x) == 0 ? ulong.MaxValue : (ulong)(63 - BitOperations.LeadingZeroCount(Assembled.Cut(w, x))), Count(BitOp.Bsr));
        }
        foreach (var sw in new[] { Width.W8, Width.W16 })
        {
            Case($"movzx {sw}", x => Assembled.Cut(sw, x), a => { a.MovImm(Reg.Rax, ulong.MaxValue); a.Movzx(Reg.Rax, sw, Reg.Rdi); a.Ret(); });
            Case($"movzx {sw} [rsp]", x => Assembled.Cut(sw, x), a => { a.Push(Reg.Rdi); a.Movzx(Reg.R11, sw, Mem.At(Reg.Rsp)); a.Pop(Reg.Rdi); a.Mov(Width.W64, Reg.Rax, Reg.R11); a.Ret(); });
        }
        foreach (var (dw, sw) in new[] { (Width.W16, Width.W8), (Width.W32, Width.W8), (Width.W64, Width.W8), (Width.W32, Width.W16), (Width.W64, Width.W16), (Width.W64, Width.W32) })
        {
            // A 16-bit destination keeps the upper bits (all ones here); a 32-bit one zeroes them.
            Func<ulong, ulong> expected = x => dw switch
            {
                Width.W16 => 0xFFFF_FFFF_FFFF_0000UL | Assembled.Cut(dw, (ulong)Assembled.Signed(sw, x)),
                _ => Assembled.Cut(dw, (ulong)Assembled.Signed(sw, x)),
            };
            Case($"movsx {dw},{sw}", expected, a => { a.MovImm(Reg.R10, ulong.MaxValue); a.Movsx(dw, Reg.R10, sw, Reg.Rdi); a.Mov(Width.W64, Reg.Rax, Reg.R10); a.Ret(); });
            Case($"movsx {dw},{sw} [rsp-8]", expected, a =>
            {
                a.Mov(Width.W64, Mem.At(Reg.Rsp, -8), Reg.Rdi);   // the red zone below rsp
                a.MovImm(Reg.Rax, ulong.MaxValue);
                a.Movsx(dw, Reg.Rax, sw, Mem.At(Reg.Rsp, -8));
                a.Ret();
            });
        }
        Case("bswap W32", x => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)x), a => { a.Mov(Width.W64, Reg.R10, Reg.Rdi); a.Bswap(Width.W32, Reg.R10); a.Mov(Width.W64, Reg.Rax, Reg.R10); a.Ret(); });
        Case("bswap W64", x => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x), a => { a.Mov(Width.W64, Reg.Rax, Reg.Rdi); a.Bswap(Width.W64, Reg.Rax); a.Ret(); });
        Case("cdq", x => Assembled.Signed(Width.W32, x) < 0 ? 0xFFFF_FFFFUL : 0, a => { a.Mov(Width.W64, Reg.Rax, Reg.Rdi); a.MovImm(Reg.Rdx, ulong.MaxValue); a.Cdq(); a.Mov(Width.W64, Reg.Rax, Reg.Rdx); a.Ret(); });
        Case("cqo", x => (long)x < 0 ? ulong.MaxValue : 0, a => { a.Mov(Width.W64, Reg.Rax, Reg.Rdi); a.Cqo(); a.Mov(Width.W64, Reg.Rax, Reg.Rdx); a.Ret(); });
        Case("lea", x => x * 9 + 100, a => { a.Lea(Width.W64, Reg.Rax, Mem.At(Reg.Rdi, Reg.Rdi, 8, 100)); a.Ret(); });
        Case("lea W32", x => (uint)(x * 5 - 7), a => { a.Lea(Width.W32, Reg.R8, Mem.At(Reg.Rdi, Reg.Rdi, 4, -7)); a.Mov(Width.W64, Reg.Rax, Reg.R8); a.Ret(); });
        Case("test, setnz", x => (x & 0x8000_0001) != 0 ? 1UL : 0, a => { a.MovImm(Reg.Rax, 0); a.MovImm(Reg.R11, 0x8000_0001); a.Test(Width.W64, Reg.Rdi, Reg.R11); a.Setcc(Cond.NE, Reg.Rax); a.Ret(); });
        Case("test imm, sets", x => (x & 0x80) != 0 ? 1UL : 0, a => { a.MovImm(Reg.Rax, 0); a.Test(Width.W8, Reg.Rdi, 0x80); a.Setcc(Cond.S, Reg.Rax); a.Ret(); });
        foreach (ulong v in new[] { 0UL, 0xFFFF_FFFFUL, 0x1_0000_0000UL, unchecked((ulong)(long)int.MinValue), ulong.MaxValue, 0x1234_5678_9ABC_DEF0UL })
            Case($"movimm 0x{v:x}", _ => v, a => { a.MovImm(Reg.Rax, ulong.MaxValue); a.MovImm(Reg.Rax, v); a.Ret(); });

        var (code, entries) = Assembled.Many(bodies);
        using (code)
            Prop.ForAll(Word.ToArbitrary(), x =>
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    ulong expected = cases[i].Expected(x);
                    if (expected == ulong.MaxValue && cases[i].Name.StartsWith("bs")) continue;
                    var f = (delegate* unmanaged<ulong, ulong>)(code.Address + entries[i]);
                    Assert.That(f(x), Is.EqualTo(expected), () => $"{cases[i].Name} x=0x{x:x}");
                }
            }).Check(Runs);
    }

    [Test]
    public void A_value_passes_through_every_register_and_every_kind_of_base()
    {
        // rdi -> rbx -> ... -> r15 -> rax, adding the step's number at each, and through memory addressed by each
        // register as a base (rsp and rbp, r12 and r13 are the special encodings) with every scale of index.
        using var code = Assembled.One(a =>
        {
            Assembled.SaveAll(a);
            Reg[] chain = [Reg.Rbx, Reg.Rcx, Reg.Rdx, Reg.Rsi, Reg.Rbp, Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15, Reg.Rax];
            Reg from = Reg.Rdi;
            for (int i = 0; i < chain.Length; i++)
            {
                a.Lea(Width.W64, chain[i], Mem.At(from, i + 1));
                from = chain[i];
            }
            // rax = x + 105. Store through [rsp - 64] (the red zone) and reload through each register as a base.
            a.Mov(Width.W64, Mem.At(Reg.Rsp, -64), Reg.Rax);
            foreach (var b in X.Regs.Where(r => r != Reg.Rsp && r != Reg.Rax))
            {
                foreach (int scale in new[] { 1, 2, 4, 8 })
                {
                    // b = rsp - 64 - 3 * scale; rax = 3; load [b + rax*scale]
                    a.Lea(Width.W64, b, Mem.At(Reg.Rsp, -64 - 3 * scale));
                    a.MovImm(Reg.Rax, 3);
                    a.Mov(Width.W64, Reg.Rax, Mem.At(b, Reg.Rax, scale));
                    a.Mov(Width.W64, Mem.At(Reg.Rsp, -64), Reg.Rax);
                }
                // b = rsp - 64, disp 0: rbp and r13 need their zero disp8, r12 its SIB byte.
                a.Lea(Width.W64, b, Mem.At(Reg.Rsp, -64));
                a.Mov(Width.W64, Reg.Rax, Mem.At(b));
                a.Alu(AluOp.Add, Width.W64, Mem.At(b), 1);
            }
            a.Mov(Width.W64, Reg.Rax, Mem.At(Reg.Rsp, -64));
            Assembled.RestoreAllAndReturn(a);
        });
        var f = (delegate* unmanaged<ulong, ulong>)code.Address;
        int bases = 14;
        Prop.ForAll(Word.ToArbitrary(), x => f(x) == x + 105 + (ulong)bases).Check(Runs);
    }

    [Test]
    public void Rip_relative_data_labels_loops_and_calls()
    {
        using var code = Assembled.One(a =>
        {
            // fn(n): the sum of 1..n by a loop whose body is too long for rel8, plus constants read RIP-relative
            // (one compared with an imm32 and one with an imm8, which move the instruction's end), plus a local call.
            var data = a.NewLabel();
            var helper = a.NewLabel();
            var loop = a.NewLabel();
            var done = a.NewLabel();
            a.MovImm(Reg.Rax, 0);
            a.Test(Width.W64, Reg.Rdi, Reg.Rdi);
            a.Jcc(Cond.E, done);
            a.Bind(loop);
            a.Alu(AluOp.Add, Width.W64, Reg.Rax, Reg.Rdi);
            for (int i = 0; i < 130; i++) a.Nop();
            a.Alu(AluOp.Sub, Width.W64, Reg.Rdi, 1);
            a.Jcc(Cond.NE, loop);
            a.Bind(done);
            a.Alu(AluOp.Add, Width.W64, Reg.Rax, Mem.Rip(data));              // + 1000
            a.MovImm(Reg.R11, 0);
            a.MovImm(Reg.R10, 300_000);
            a.Alu(AluOp.Cmp, Width.W64, Mem.Rip(data, 8), 2000);
            a.Cmov(Cond.E, Width.W64, Reg.R11, Reg.R10);
            a.Alu(AluOp.Add, Width.W64, Reg.Rax, Reg.R11);                    // + 300 000
            a.MovImm(Reg.R11, 0);
            a.MovImm(Reg.R10, 4_000_000);
            a.Alu(AluOp.Cmp, Width.W32, Mem.Rip(data, 16), 5);
            a.Cmov(Cond.E, Width.W64, Reg.R11, Reg.R10);
            a.Alu(AluOp.Add, Width.W64, Reg.Rax, Reg.R11);                    // + 4 000 000
            a.Call(helper);
            a.Ret();
            a.Bind(helper);
            a.Alu(AluOp.Add, Width.W64, Reg.Rax, 50_000);
            a.Ret();
            a.Align(8);
            a.Bind(data);
            a.Emit64(1000);
            a.Emit64(2000);
            a.Emit64(5);
        });
        var f = (delegate* unmanaged<ulong, ulong>)code.Address;
        foreach (ulong n in new ulong[] { 0, 1, 2, 10, 1000 })
            Assert.That(f(n), Is.EqualTo(n * (n + 1) / 2 + 1000 + 300_000 + 4_000_000 + 50_000), $"n={n}");
    }
}
