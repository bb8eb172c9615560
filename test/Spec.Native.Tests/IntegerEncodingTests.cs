using Iced.Intel;
using NUnit.Framework;
using Spec.Native.X64;
using static Spec.Native.Tests.X;

namespace Spec.Native.Tests;

// Every general-purpose instruction, in every operand form, over every register, memory form and edge immediate:
// decoded by Iced and compared with what the inputs ask for.

public class IntegerEncodingTests
{
    static readonly int[] Imms = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536, int.MinValue, int.MaxValue];
    static readonly AluOp[] AluOps = Enum.GetValues<AluOp>();
    static readonly Width[] NoByte = [Width.W16, Width.W32, Width.W64];

    static bool ImmFits(Width w, int imm) => w switch
    {
        Width.W8 => imm is >= -128 and <= 255,
        Width.W16 => imm is >= -32768 and <= 65535,
        _ => true,
    };

    // The immediate as the operand's signed value (what an imm8 would have to sign-extend to).
    static long Signed(Width w, int imm) => w switch { Width.W8 => (sbyte)imm, Width.W16 => (short)imm, _ => imm };

    // The bytes before the opcode of an instruction whose ModRM.rm (or opcode) names r at width w: 66 for W16,
    // then REX for W64, for r8-r15, and for spl..dil.
    static int Prefixes(Width w, Reg r) => (w == Width.W16 ? 1 : 0) + (w == Width.W64 || r >= Reg.R8 || (w == Width.W8 && r >= Reg.Rsp) ? 1 : 0);

    // Iced reads an imm8 that the processor sign-extends as a sign-extended 64-bit value; a byte operand's as the byte.
    static ulong Imm8Value(Width w, int imm) => w == Width.W8 ? (byte)imm : (ulong)Signed(w, imm);

    static int ImmBytes(Width w) => w switch { Width.W8 => 1, Width.W16 => 2, _ => 4 };

    static OpKind FullImmKind(Width w) => w switch
    {
        Width.W8 => OpKind.Immediate8,
        Width.W16 => OpKind.Immediate16,
        Width.W32 => OpKind.Immediate32,
        _ => OpKind.Immediate32to64,
    };

    static OpKind Imm8Kind(Width w) => w switch
    {
        Width.W8 => OpKind.Immediate8,
        Width.W16 => OpKind.Immediate8to16,
        Width.W32 => OpKind.Immediate8to32,
        _ => OpKind.Immediate8to64,
    };

    // ---- ALU ----

    [Test]
    public void Alu_register_register_over_every_op_width_and_register_pair()
    {
        var c = new Checker();
        foreach (var op in AluOps)
            foreach (var w in Widths)
                foreach (var d in Regs)
                    foreach (var s in Regs)
                        c.One($"{op} {w} {d},{s}", a => a.Alu(op, w, d, s), Named(op.ToString()), G(d, w), G(s, w));
        c.AssertAll(8 * 4 * 256);
    }

    [Test]
    public void Alu_with_memory_in_either_place_over_every_memory_form()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in Widths)
            {
                var op = AluOps[i % 8];
                var r = Regs[i / 8 % 16];
                i++;
                c.Mem($"{op} {w} {r},", mc, w.Bytes(), (a, m) => a.Alu(op, w, r, m), Named(op.ToString()), m => [G(r, w), m]);
                c.Mem($"{op} {w} ,{r}", mc, w.Bytes(), (a, m) => a.Alu(op, w, m, r), Named(op.ToString()), m => [m, G(r, w)]);
            }
        c.AssertAll(MemCase.All.Length * 8);
    }

    [Test]
    public void Alu_register_immediate_takes_imm8_when_it_fits_and_the_accumulator_form_for_rax()
    {
        var c = new Checker();
        foreach (var op in AluOps)
            foreach (var w in Widths)
                foreach (var r in Regs)
                    foreach (int imm in Imms)
                    {
                        string what = $"{op} {w} {r},{imm}";
                        if (!ImmFits(w, imm)) { c.Throws(what, a => a.Alu(op, w, r, imm)); continue; }
                        bool short8 = w == Width.W8 || FitsInt8(Signed(w, imm));
                        // An imm8 form always has a ModRM byte except al's; the full-size form has none for the accumulator.
                        bool modrm = r != Reg.Rax || (short8 && w != Width.W8);
                        int length = Prefixes(w, r) + 1 + (modrm ? 1 : 0) + (short8 ? 1 : ImmBytes(w));
                        c.One(what, length, a => a.Alu(op, w, r, imm), Named(op.ToString()),
                            G(r, w), (short8 ? new I(Imm8Value(w, imm), Imm8Kind(w)) : new I(Extended(imm, w), FullImmKind(w))));
                    }
        c.AssertAll(8 * 4 * 16 * Imms.Length);
    }

    [Test]
    public void Alu_memory_immediate_over_every_memory_form_and_edge_immediate()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in Widths)
            {
                var op = AluOps[i % 8];
                int imm = Imms[i / 8 % Imms.Length];
                i++;
                if (!ImmFits(w, imm)) { c.Throws($"{op} {w} {mc},{imm}", a => a.Alu(op, w, Mem.At(Reg.Rax), imm)); continue; }
                bool short8 = w == Width.W8 || FitsInt8(Signed(w, imm));
                c.Mem($"{op} {w} ,{imm}", mc, w.Bytes(), (a, m) => a.Alu(op, w, m, imm), Named(op.ToString()),
                    m => [m, (short8 ? new I(Imm8Value(w, imm), Imm8Kind(w)) : new I(Extended(imm, w), FullImmKind(w)))]);
            }
        c.AssertAll(MemCase.All.Length * 3);
    }

    [Test]
    public void Locked_alu_over_every_memory_form_but_cmp_cannot_be_locked()
    {
        var c = new Checker();
        var lockable = AluOps.Where(o => o != AluOp.Cmp).ToArray();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in Widths)
            {
                var op = lockable[i % lockable.Length];
                var r = Regs[i / lockable.Length % 16];
                i++;
                c.Mem($"lock {op} {w} ,{r}", mc, w.Bytes(), (a, m) => a.LockAlu(op, w, m, r), Named(op.ToString()), m => [m, G(r, w)], locked: true);
            }
        foreach (var w in Widths) c.Throws($"lock cmp {w}", a => a.LockAlu(AluOp.Cmp, w, Mem.At(Reg.Rax), Reg.Rcx));
        c.AssertAll(MemCase.All.Length * 4);
    }

    // ---- test ----

    [Test]
    public void Test_register_register_and_register_immediate()
    {
        var c = new Checker();
        foreach (var w in Widths)
            foreach (var r in Regs)
            {
                foreach (var s in Regs) c.One($"test {w} {r},{s}", a => a.Test(w, r, s), Mnemonic.Test, G(r, w), G(s, w));
                foreach (int imm in Imms)
                {
                    string what = $"test {w} {r},{imm}";
                    if (!ImmFits(w, imm)) { c.Throws(what, a => a.Test(w, r, imm)); continue; }
                    int length = Prefixes(w, r) + 1 + (r == Reg.Rax ? 0 : 1) + ImmBytes(w);
                    c.One(what, length, a => a.Test(w, r, imm), Mnemonic.Test, G(r, w), new I(Extended(imm, w), FullImmKind(w)));
                }
            }
        c.AssertAll(4 * 16 * (16 + Imms.Length));
    }

    [Test]
    public void Test_memory_immediate_over_every_memory_form()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in Widths)
            {
                int imm = Imms[i++ % Imms.Length];
                if (!ImmFits(w, imm)) continue;
                c.Mem($"test {w} ,{imm}", mc, w.Bytes(), (a, m) => a.Test(w, m, imm), Mnemonic.Test, m => [m, new I(Extended(imm, w), FullImmKind(w))]);
            }
        c.AssertAll(MemCase.All.Length * 3);
    }

    // ---- mov ----

    [Test]
    public void Mov_register_register_over_every_width_and_pair()
    {
        var c = new Checker();
        foreach (var w in Widths)
            foreach (var d in Regs)
                foreach (var s in Regs)
                    c.One($"mov {w} {d},{s}", a => a.Mov(w, d, s), Mnemonic.Mov, G(d, w), G(s, w));
        c.AssertAll(4 * 256);
    }

    [Test]
    public void Mov_loads_stores_and_stores_of_immediates_over_every_memory_form()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in Widths)
            {
                var r = Regs[i % 16];
                int imm = Imms[i / 16 % Imms.Length];
                i++;
                c.Mem($"mov {w} {r},", mc, w.Bytes(), (a, m) => a.Mov(w, r, m), Mnemonic.Mov, m => [G(r, w), m]);
                c.Mem($"mov {w} ,{r}", mc, w.Bytes(), (a, m) => a.Mov(w, m, r), Mnemonic.Mov, m => [m, G(r, w)]);
                if (ImmFits(w, imm))
                    c.Mem($"mov {w} ,{imm}", mc, w.Bytes(), (a, m) => a.Mov(w, m, imm), Mnemonic.Mov, m => [m, new I(Extended(imm, w), FullImmKind(w))]);
                else c.Throws($"mov {w} [rax],{imm}", a => a.Mov(w, Mem.At(Reg.Rax), imm));
            }
        c.AssertAll(MemCase.All.Length * 12);
    }

    static readonly ulong[] Constants =
    [
        0, 1, 127, 0x7FFF_FFFF, 0x8000_0000, uint.MaxValue, 1UL << 32, unchecked((ulong)long.MinValue), ulong.MaxValue,
        unchecked((ulong)(long)int.MinValue), 0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_7FFF_FFFF, 0x1234_5678_9ABC_DEF0, unchecked((ulong)-2L), long.MaxValue,
    ];

    [Test]
    public void MovImm_chooses_the_shortest_of_mov_r32_imm32_mov_r64_simm32_and_movabs()
    {
        var c = new Checker();
        foreach (var r in Regs)
            foreach (ulong v in Constants)
            {
                string what = $"mov {r},0x{v:x}";
                int rex = r >= Reg.R8 ? 1 : 0;
                if (v <= uint.MaxValue)
                    c.One(what, 5 + rex, a => a.MovImm(r, v), Mnemonic.Mov, G(r, Width.W32), new I(v, OpKind.Immediate32));
                else if ((long)v is >= int.MinValue and <= int.MaxValue)
                    c.One(what, 7, a => a.MovImm(r, v), Mnemonic.Mov, G(r, Width.W64), new I(v, OpKind.Immediate32to64));
                else
                    c.One(what, 10, a => a.MovImm(r, v), Mnemonic.Mov, G(r, Width.W64), new I(v, OpKind.Immediate64));
            }
        c.AssertAll(16 * Constants.Length);
    }

    // ---- movzx, movsx, lea ----

    [Test]
    public void Movzx_from_bytes_and_words_over_every_register_pair_and_memory_form()
    {
        var c = new Checker();
        foreach (var sw in new[] { Width.W8, Width.W16 })
            foreach (var d in Regs)
                foreach (var s in Regs)
                    c.One($"movzx {d},{sw} {s}", a => a.Movzx(d, sw, s), Mnemonic.Movzx, G(d, Width.W32), G(s, sw));
        int i = 0;
        foreach (var mc in MemCase.All)
        {
            var sw = i % 2 == 0 ? Width.W8 : Width.W16;
            var d = Regs[i++ / 2 % 16];
            c.Mem($"movzx {d},{sw}", mc, sw.Bytes(), (a, m) => a.Movzx(d, sw, m), Mnemonic.Movzx, m => [G(d, Width.W32), m]);
        }
        foreach (var sw in new[] { Width.W32, Width.W64 })
        {
            c.Throws($"movzx from {sw}", a => a.Movzx(Reg.Rax, sw, Reg.Rcx));
            c.Throws($"movzx from {sw} memory", a => a.Movzx(Reg.Rax, sw, Mem.At(Reg.Rcx)));
        }
        c.AssertAll(2 * 256 + MemCase.All.Length);
    }

    static readonly (Width Dst, Width Src)[] Extensions =
        [(Width.W16, Width.W8), (Width.W32, Width.W8), (Width.W64, Width.W8), (Width.W32, Width.W16), (Width.W64, Width.W16), (Width.W64, Width.W32)];

    [Test]
    public void Movsx_over_every_extension_register_pair_and_memory_form_and_none_other()
    {
        var c = new Checker();
        foreach (var (dw, sw) in Extensions)
        {
            var mnemonic = sw == Width.W32 ? Mnemonic.Movsxd : Mnemonic.Movsx;
            foreach (var d in Regs)
                foreach (var s in Regs)
                    c.One($"movsx {dw} {d},{sw} {s}", a => a.Movsx(dw, d, sw, s), mnemonic, G(d, dw), G(s, sw));
        }
        int i = 0;
        foreach (var mc in MemCase.All)
        {
            var (dw, sw) = Extensions[i % Extensions.Length];
            var d = Regs[i++ / Extensions.Length % 16];
            c.Mem($"movsx {dw} {d},{sw}", mc, sw.Bytes(), (a, m) => a.Movsx(dw, d, sw, m), sw == Width.W32 ? Mnemonic.Movsxd : Mnemonic.Movsx,
                m => [G(d, dw), m]);
        }
        foreach (var dw in Widths)
            foreach (var sw in Widths)
                if (!Extensions.Contains((dw, sw)))
                {
                    c.Throws($"movsx {dw},{sw}", a => a.Movsx(dw, Reg.Rax, sw, Reg.Rcx));
                    c.Throws($"movsx {dw},{sw} memory", a => a.Movsx(dw, Reg.Rax, sw, Mem.At(Reg.Rcx)));
                }
        c.AssertAll(6 * 256 + MemCase.All.Length + 20);
    }

    [Test]
    public void Lea_over_every_memory_form_with_16_32_and_64_bit_destinations()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in NoByte)
            {
                var d = Regs[i++ % 16];
                c.Mem($"lea {w} {d},", mc, -1, (a, m) => a.Lea(w, d, m), Mnemonic.Lea, m => [G(d, w), m]);
            }
        c.Throws("lea W8", a => a.Lea(Width.W8, Reg.Rax, Mem.At(Reg.Rcx)));
        c.AssertAll(MemCase.All.Length * 3);
    }

    // ---- shifts ----

    static readonly byte[] Counts = [0, 1, 2, 7, 8, 31, 32, 63, 255];

    [Test]
    public void Shift_by_immediate_uses_the_short_form_for_one_and_sal_is_shl()
    {
        var c = new Checker();
        foreach (var op in Enum.GetValues<ShiftOp>())
        {
            var mnemonic = Named(op == ShiftOp.Sal ? "Shl" : op.ToString());
            foreach (var w in Widths)
                foreach (var r in Regs)
                {
                    foreach (byte n in Counts)
                        c.One($"{op} {w} {r},{n}", Prefixes(w, r) + 2 + (n == 1 ? 0 : 1), a => a.Shift(op, w, r, n), mnemonic,
                            G(r, w), new I(n, OpKind.Immediate8));
                    c.One($"{op} {w} {r},cl", Prefixes(w, r) + 2, a => a.ShiftCl(op, w, r), mnemonic, G(r, w), new R(Register.CL));
                }
        }
        c.AssertAll(8 * 4 * 16 * (Counts.Length + 1));
    }

    // ---- multiplication and group 3 ----

    [Test]
    public void Imul_two_and_three_operand_forms_over_every_pair_immediate_and_memory_form()
    {
        var c = new Checker();
        foreach (var w in NoByte)
            foreach (var d in Regs)
                foreach (var s in Regs)
                {
                    c.One($"imul {w} {d},{s}", a => a.Imul(w, d, s), Mnemonic.Imul, G(d, w), G(s, w));
                    foreach (int imm in Imms)
                    {
                        string what = $"imul {w} {d},{s},{imm}";
                        if (!ImmFits(w, imm)) { c.Throws(what, a => a.Imul(w, d, s, imm)); continue; }
                        bool short8 = FitsInt8(Signed(w, imm));
                        int length = (w == Width.W16 ? 1 : 0) + (w == Width.W64 || d >= Reg.R8 || s >= Reg.R8 ? 1 : 0) + 2 + (short8 ? 1 : ImmBytes(w));
                        c.One(what, length, a => a.Imul(w, d, s, imm), Mnemonic.Imul, G(d, w), G(s, w),
                            (short8 ? new I(Imm8Value(w, imm), Imm8Kind(w)) : new I(Extended(imm, w), FullImmKind(w))));
                    }
                }
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in NoByte)
            {
                var d = Regs[i++ % 16];
                c.Mem($"imul {w} {d},", mc, w.Bytes(), (a, m) => a.Imul(w, d, m), Mnemonic.Imul, m => [G(d, w), m]);
            }
        c.Throws("imul W8", a => a.Imul(Width.W8, Reg.Rax, Reg.Rcx));
        c.Throws("imul W8 imm", a => a.Imul(Width.W8, Reg.Rax, Reg.Rcx, 3));
        c.Throws("imul W8 memory", a => a.Imul(Width.W8, Reg.Rax, Mem.At(Reg.Rcx)));
        c.AssertAll(3 * 256 * (1 + Imms.Length) + MemCase.All.Length * 3);
    }

    [Test]
    public void Unary_operations_and_sign_extension_of_the_accumulator()
    {
        var c = new Checker();
        foreach (var op in Enum.GetValues<UnaryOp>())
            foreach (var w in Widths)
                foreach (var r in Regs)
                    c.One($"{op} {w} {r}", Prefixes(w, r) + 2, a => a.Unary(op, w, r), Named(op.ToString()), G(r, w));
        c.One("cdq", 1, a => a.Cdq(), Mnemonic.Cdq);
        c.One("cqo", 2, a => a.Cqo(), Mnemonic.Cqo);
        c.Throws("group 3 /0 is test, not a unary operation", a => a.Unary((UnaryOp)0, Width.W32, Reg.Rax));
        c.Throws("group 3 /8 does not exist", a => a.Unary((UnaryOp)8, Width.W32, Reg.Rax));
        c.AssertAll(6 * 4 * 16 + 2);
    }

    [Test]
    public void Bit_counts_over_every_register_pair_without_a_byte_form()
    {
        var c = new Checker();
        foreach (var op in Enum.GetValues<BitOp>())
        {
            foreach (var w in NoByte)
                foreach (var d in Regs)
                    foreach (var s in Regs)
                        c.One($"{op} {w} {d},{s}", a => a.BitCount(op, w, d, s), Named(op.ToString()), G(d, w), G(s, w));
            c.Throws($"{op} W8", a => a.BitCount(op, Width.W8, Reg.Rax, Reg.Rcx));
        }
        c.AssertAll(5 * 3 * 256);
    }

    // ---- conditions ----

    [Test]
    public void Setcc_names_each_condition_and_reaches_spl_to_dil_through_rex()
    {
        var c = new Checker();
        foreach (var cc in Conds)
            foreach (var r in Regs)
                c.One($"set{cc} {r}", 3 + (r >= Reg.Rsp ? 1 : 0), a => a.Setcc(cc, r), Setcc(cc), G(r, Width.W8));
        c.AssertAll(16 * 16);
    }

    [Test]
    public void Cmov_over_every_condition_width_register_pair_and_memory_form()
    {
        var c = new Checker();
        foreach (var cc in Conds)
        {
            foreach (var w in NoByte)
                foreach (var d in Regs)
                    foreach (var s in Regs)
                        c.One($"cmov{cc} {w} {d},{s}", a => a.Cmov(cc, w, d, s), Cmovcc(cc), G(d, w), G(s, w));
            c.Throws($"cmov{cc} W8", a => a.Cmov(cc, Width.W8, Reg.Rax, Reg.Rcx));
        }
        int i = 0;
        foreach (var mc in MemCase.All)
        {
            var cc = Conds[i % 16];
            var w = NoByte[i / 16 % 3];
            var d = Regs[i++ * 7 % 16];
            c.Mem($"cmov{cc} {w} {d},", mc, w.Bytes(), (a, m) => a.Cmov(cc, w, d, m), Cmovcc(cc), m => [G(d, w), m]);
        }
        c.AssertAll(16 * 3 * 256 + MemCase.All.Length);
    }

    [Test]
    public void Negate_flips_each_condition_to_its_complement()
    {
        (Cond, Cond)[] pairs = [(Cond.O, Cond.NO), (Cond.B, Cond.AE), (Cond.E, Cond.NE), (Cond.BE, Cond.A), (Cond.S, Cond.NS),
            (Cond.P, Cond.NP), (Cond.L, Cond.GE), (Cond.LE, Cond.G)];
        foreach (var (a, b) in pairs)
        {
            Assert.That(a.Negate(), Is.EqualTo(b));
            Assert.That(b.Negate(), Is.EqualTo(a));
        }
    }

    // ---- atomics ----

    [Test]
    public void Xchg_xadd_and_cmpxchg_over_every_memory_form_locked_where_they_must_be()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
            foreach (var w in Widths)
            {
                var r = Regs[i++ % 16];
                c.Mem($"xchg {w} ,{r}", mc, w.Bytes(), (a, m) => a.Xchg(w, m, r), Mnemonic.Xchg, m => [m, G(r, w)]);
                c.Mem($"lock xadd {w} ,{r}", mc, w.Bytes(), (a, m) => a.LockXadd(w, m, r), Mnemonic.Xadd, m => [m, G(r, w)], locked: true);
                c.Mem($"lock cmpxchg {w} ,{r}", mc, w.Bytes(), (a, m) => a.LockCmpxchg(w, m, r), Mnemonic.Cmpxchg, m => [m, G(r, w)], locked: true);
            }
        c.AssertAll(MemCase.All.Length * 12);
    }

    // ---- the rest ----

    [Test]
    public void Bswap_push_pop_and_the_operandless_instructions()
    {
        var c = new Checker();
        foreach (var r in Regs)
        {
            int rex = r >= Reg.R8 ? 1 : 0;
            c.One($"bswap W32 {r}", 2 + rex, a => a.Bswap(Width.W32, r), Mnemonic.Bswap, G(r, Width.W32));
            c.One($"bswap W64 {r}", 3, a => a.Bswap(Width.W64, r), Mnemonic.Bswap, G(r, Width.W64));
            c.One($"push {r}", 1 + rex, a => a.Push(r), Mnemonic.Push, G(r, Width.W64));
            c.One($"pop {r}", 1 + rex, a => a.Pop(r), Mnemonic.Pop, G(r, Width.W64));
        }
        c.Throws("bswap W8", a => a.Bswap(Width.W8, Reg.Rax));
        c.Throws("bswap W16", a => a.Bswap(Width.W16, Reg.Rax));
        c.One("ret", 1, a => a.Ret(), Mnemonic.Ret);
        c.One("int3", 1, a => a.Int3(), Mnemonic.Int3);
        c.One("nop", 1, a => a.Nop(), Mnemonic.Nop);
        c.One("ud2", 2, a => a.Ud2(), Mnemonic.Ud2);
        c.One("mfence", 3, a => a.Mfence(), Mnemonic.Mfence);
        c.AssertAll(16 * 4 + 5);
    }

    // ---- what cannot be encoded ----

    [Test]
    public void Operands_that_cannot_be_encoded_are_rejected_and_nothing_is_emitted()
    {
        var c = new Checker();
        c.Throws("default(Mem)", a => a.Mov(Width.W32, Reg.Rax, default(Mem)));
        c.Throws("default(Mem) as a destination", a => a.Alu(AluOp.Add, Width.W32, default(Mem), 1));
        c.Throws("default(Mem) in lea", a => a.Lea(Width.W64, Reg.Rax, default));
        c.Throws("register 16", a => a.Mov(Width.W32, (Reg)16, Reg.Rax));
        c.Throws("register 255", a => a.Push((Reg)255));
        c.Throws("width 4", a => a.Mov((Width)4, Reg.Rax, Reg.Rcx));
        c.Throws("ALU op 8", a => a.Alu((AluOp)8, Width.W32, Reg.Rax, Reg.Rcx));
        c.Throws("shift op 8", a => a.Shift((ShiftOp)8, Width.W32, Reg.Rax, 3));
        c.Throws("condition 16", a => a.Setcc((Cond)16, Reg.Rax));
        c.Throws("bit op 5", a => a.BitCount((BitOp)5, Width.W32, Reg.Rax, Reg.Rcx));
        c.AssertAll(10);
    }

    [Test]
    public void Memory_operands_reject_rsp_as_an_index_bad_scales_and_far_rip_displacements()
    {
        Assert.Throws<ArgumentException>(() => Mem.At(Reg.Rax, Reg.Rsp, 1));
        foreach (int scale in new[] { 0, 3, 5, 16, -1 })
            Assert.Throws<ArgumentException>(() => Mem.At(Reg.Rax, Reg.Rcx, scale), $"scale {scale}");
        Assert.Throws<ArgumentNullException>(() => Mem.Rip(null!));
        var l = new Assembler().NewLabel();
        Assert.Throws<ArgumentOutOfRangeException>(() => Mem.Rip(l, int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mem.Rip(l, (1 << 30) + 1));
        Assert.Throws<OverflowException>(() => Mem.At(Reg.Rax, int.MaxValue).Offset(1));
        Assert.That(Mem.At(Reg.R12, Reg.R13, 8, -4).Offset(12), Is.EqualTo(Mem.At(Reg.R12, Reg.R13, 8, 8)));
        Assert.That(default(Mem).IsValid, Is.False);
        var m = Mem.At(Reg.Rbx, Reg.R9, 4, 16);
        Assert.That((m.Base, m.Index, m.Scale, m.Displacement, m.IsRipRelative), Is.EqualTo(((Reg?)Reg.Rbx, (Reg?)Reg.R9, 4, 16, false)));
        Assert.That(m.ToString(), Is.EqualTo("[rbx+r9*4+0x10]"));
    }
}
