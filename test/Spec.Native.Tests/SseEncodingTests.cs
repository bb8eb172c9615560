using Iced.Intel;
using NUnit.Framework;
using Spec.Native.X64;
using static Spec.Native.Tests.X;

namespace Spec.Native.Tests;

// Every SSE operation of the table and every separately shaped SSE instruction, over all 16 xmm registers (and
// GPRs), the memory forms and their immediates, decoded by Iced. An SseOp is named as its mnemonic, so the
// expected mnemonic is the member's name.

public class SseEncodingTests
{
    static readonly SseOp[] Ops = Enum.GetValues<SseOp>();

    // From the instruction set: these take an imm8; these have no memory form.
    static readonly HashSet<SseOp> ImmOps =
    [
        SseOp.Roundss, SseOp.Roundsd, SseOp.Roundps, SseOp.Roundpd, SseOp.Cmpss, SseOp.Cmpsd, SseOp.Cmpps, SseOp.Cmppd,
        SseOp.Pshufd, SseOp.Pshuflw, SseOp.Pshufhw, SseOp.Shufps, SseOp.Shufpd, SseOp.Palignr, SseOp.Pblendw,
        SseOp.Blendps, SseOp.Blendpd, SseOp.Insertps, SseOp.Dpps, SseOp.Dppd,
    ];
    static readonly HashSet<SseOp> RegOnly = [SseOp.Movhlps, SseOp.Movlhps];
    static readonly SseOp[] Pmovs = [.. Ops.Where(o => o.ToString().StartsWith("Pmovsx") || o.ToString().StartsWith("Pmovzx"))];

    static readonly SseOp[] Plain = [.. Ops.Where(o => !ImmOps.Contains(o))];
    static readonly SseOp[] WithImm = [.. Ops.Where(ImmOps.Contains)];

    // The blendv family's mask, xmm0, is implicit: Iced does not count it as an operand, so every operation has two.

    static byte[] ImmsOf(SseOp op) => op switch
    {
        SseOp.Cmpss or SseOp.Cmpsd or SseOp.Cmpps or SseOp.Cmppd => [0, 1, 4, 7],
        SseOp.Roundss or SseOp.Roundsd or SseOp.Roundps or SseOp.Roundpd => [0, 1, 3, 8, 15],
        _ => [0, 1, 0x1B, 0x80, 0xFF],
    };

    [Test]
    public void The_table_covers_the_operations_a_wasm_compiler_needs()
    {
        string[] needed =
        [
            "addss", "addsd", "subss", "subsd", "mulss", "mulsd", "divss", "divsd", "sqrtss", "sqrtsd", "minss", "minsd", "maxss", "maxsd",
            "ucomiss", "ucomisd", "comiss", "comisd", "cvtss2sd", "cvtsd2ss", "addps", "addpd", "subps", "subpd", "mulps", "mulpd",
            "divps", "divpd", "sqrtps", "sqrtpd", "minps", "minpd", "maxps", "maxpd", "andps", "andpd", "andnps", "andnpd", "orps", "orpd",
            "xorps", "xorpd", "cmpps", "cmppd", "cvtdq2ps", "cvttps2dq", "cvtdq2pd", "cvtps2pd", "cvtpd2ps", "cvttpd2dq", "unpcklps",
            "unpcklpd", "unpckhps", "unpckhpd", "movhlps", "movlhps", "paddb", "paddw", "paddd", "paddq", "psubb", "psubw", "psubd", "psubq",
            "paddsb", "paddsw", "paddusb", "paddusw", "psubsb", "psubsw", "psubusb", "psubusw", "pmullw", "pmulld", "pmuludq", "pmuldq",
            "pmulhw", "pmulhuw", "pmulhrsw", "pmaddwd", "pmaddubsw", "pavgb", "pavgw", "pminsb", "pminsw", "pminsd", "pminub", "pminuw",
            "pminud", "pmaxsb", "pmaxsw", "pmaxsd", "pmaxub", "pmaxuw", "pmaxud", "pabsb", "pabsw", "pabsd", "pand", "pandn", "por", "pxor",
            "pcmpeqb", "pcmpeqw", "pcmpeqd", "pcmpeqq", "pcmpgtb", "pcmpgtw", "pcmpgtd", "pcmpgtq", "packsswb", "packssdw", "packuswb",
            "packusdw", "punpcklbw", "punpcklwd", "punpckldq", "punpcklqdq", "punpckhbw", "punpckhwd", "punpckhdq", "punpckhqdq", "pshufb",
            "psignb", "psignw", "psignd", "pmovsxbw", "pmovsxwd", "pmovsxdq", "pmovzxbw", "pmovzxwd", "pmovzxdq", "ptest", "movdqa",
            "movdqu", "movups", "movaps", "movapd", "psllw", "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw", "psrad",
            "roundss", "roundsd", "roundps", "roundpd", "pshufd", "pshuflw", "pshufhw", "shufps", "shufpd", "palignr", "pblendw", "blendps",
            "blendpd", "insertps", "cmpss", "cmpsd", "dpps", "dppd",
        ];
        var names = Ops.Select(o => o.ToString().ToLowerInvariant()).ToHashSet();
        Assert.That(needed.Where(n => !names.Contains(n)), Is.Empty);
        Assert.That(Ops.Select(o => o.ToString()).Distinct().Count(), Is.EqualTo(Ops.Length));
    }

    [Test]
    public void Every_operation_over_every_register_pair()
    {
        var c = new Checker();
        foreach (var op in Plain)
            foreach (var d in Xmms)
                foreach (var s in Xmms)
                    c.One($"{op} {d},{s}", a => a.Sse(op, d, s), Named(op.ToString()), V(d), V(s));
        c.AssertAll(Plain.Length * 256);
    }

    [Test]
    public void Every_operation_over_the_memory_forms_and_none_for_register_only_ones()
    {
        var c = new Checker();
        foreach (var op in Plain)
        {
            if (RegOnly.Contains(op))
            {
                c.Throws($"{op} memory", a => a.Sse(op, Xmm.Xmm1, Mem.At(Reg.Rax)));
                continue;
            }
            int i = 0;
            foreach (var mc in MemCase.Sample)
            {
                var d = Xmms[i++ % 16];
                c.Mem($"{op} {d},", mc, -1, (a, m) => a.Sse(op, d, m), Named(op.ToString()), m => [V(d), m]);
            }
        }
        // And every memory form, the operation cycling.
        var memOps = Plain.Where(o => !RegOnly.Contains(o)).ToArray();
        int k = 0;
        foreach (var mc in MemCase.All)
        {
            var op = memOps[k % memOps.Length];
            var d = Xmms[k++ % 16];
            c.Mem($"{op} {d},", mc, -1, (a, m) => a.Sse(op, d, m), Named(op.ToString()), m => [V(d), m]);
        }
        c.AssertAll((Plain.Length - 2) * MemCase.Sample.Length + MemCase.All.Length);
    }

    [Test]
    public void Every_imm8_operation_over_every_register_pair_memory_form_and_immediate()
    {
        var c = new Checker();
        foreach (var op in WithImm)
        {
            foreach (var d in Xmms)
                foreach (var s in Xmms)
                    foreach (byte imm in ImmsOf(op))
                        c.One($"{op} {d},{s},{imm}", a => a.SseImm(op, d, s, imm), Named(op.ToString()), V(d), V(s), new I(imm, OpKind.Immediate8));
            int i = 0;
            foreach (var mc in MemCase.Sample)
            {
                var d = Xmms[i % 16];
                byte imm = ImmsOf(op)[i++ % ImmsOf(op).Length];
                c.Mem($"{op} {d},,{imm}", mc, -1, (a, m) => a.SseImm(op, d, m, imm), Named(op.ToString()), m => [V(d), m, new I(imm, OpKind.Immediate8)]);
            }
        }
        c.AssertAll(WithImm.Length * (256 * 4 + MemCase.Sample.Length));
    }

    [Test]
    public void Operations_are_rejected_in_the_wrong_shape_and_with_reserved_immediates()
    {
        var c = new Checker();
        foreach (var op in WithImm)
        {
            c.Throws($"{op} without its imm8", a => a.Sse(op, Xmm.Xmm1, Xmm.Xmm2));
            c.Throws($"{op} memory without its imm8", a => a.Sse(op, Xmm.Xmm1, Mem.At(Reg.Rax)));
        }
        foreach (var op in Plain)
        {
            c.Throws($"{op} with an imm8", a => a.SseImm(op, Xmm.Xmm1, Xmm.Xmm2, 0));
            c.Throws($"{op} memory with an imm8", a => a.SseImm(op, Xmm.Xmm1, Mem.At(Reg.Rax), 0));
        }
        foreach (var op in new[] { SseOp.Cmpss, SseOp.Cmpsd, SseOp.Cmpps, SseOp.Cmppd })
            c.Throws($"{op} predicate 8 (VEX only)", a => a.SseImm(op, Xmm.Xmm1, Xmm.Xmm2, 8));
        foreach (var op in new[] { SseOp.Roundss, SseOp.Roundsd, SseOp.Roundps, SseOp.Roundpd })
            c.Throws($"{op} rounding 16", a => a.SseImm(op, Xmm.Xmm1, Xmm.Xmm2, 16));
        c.Throws("SseOp out of range", a => a.Sse((SseOp)Ops.Length, Xmm.Xmm1, Xmm.Xmm2));
        c.Throws("xmm16", a => a.Sse(SseOp.Addps, (Xmm)16, Xmm.Xmm2));
        c.Throws("paddd is not a pmov", a => a.Pmov(SseOp.Paddd, Xmm.Xmm1, Mem.At(Reg.Rax)));
        c.AssertAll(Ops.Length * 2 + 11);
    }

    [Test]
    public void Scalar_and_vector_loads_stores_and_register_moves()
    {
        var c = new Checker();
        foreach (var d in Xmms)
            foreach (var s in Xmms)
            {
                c.One($"movss {d},{s}", a => a.Movss(d, s), Mnemonic.Movss, V(d), V(s));
                c.One($"movsd {d},{s}", a => a.Movsd(d, s), Mnemonic.Movsd, V(d), V(s));
                c.One($"movq {d},{s}", a => a.Movq(d, s), Mnemonic.Movq, V(d), V(s));
            }
        int i = 0;
        foreach (var mc in MemCase.All)
        {
            var x = Xmms[i++ % 16];
            c.Mem($"movss {x},", mc, 4, (a, m) => a.MovssLoad(x, m), Mnemonic.Movss, m => [V(x), m]);
            c.Mem($"movsd {x},", mc, 8, (a, m) => a.MovsdLoad(x, m), Mnemonic.Movsd, m => [V(x), m]);
            c.Mem($"movss ,{x}", mc, 4, (a, m) => a.MovssStore(m, x), Mnemonic.Movss, m => [m, V(x)]);
            c.Mem($"movsd ,{x}", mc, 8, (a, m) => a.MovsdStore(m, x), Mnemonic.Movsd, m => [m, V(x)]);
            c.Mem($"movdqu ,{x}", mc, 16, (a, m) => a.Movdqu(m, x), Mnemonic.Movdqu, m => [m, V(x)]);
            c.Mem($"movdqa ,{x}", mc, 16, (a, m) => a.Movdqa(m, x), Mnemonic.Movdqa, m => [m, V(x)]);
            c.Mem($"movups ,{x}", mc, 16, (a, m) => a.Movups(m, x), Mnemonic.Movups, m => [m, V(x)]);
            c.Mem($"movaps ,{x}", mc, 16, (a, m) => a.Movaps(m, x), Mnemonic.Movaps, m => [m, V(x)]);
            c.Mem($"movq ,{x}", mc, 8, (a, m) => a.Movq(m, x), Mnemonic.Movq, m => [m, V(x)]);
            c.Mem($"movq {x},", mc, 8, (a, m) => a.Movq(x, m), Mnemonic.Movq, m => [V(x), m]);
        }
        c.AssertAll(3 * 256 + 10 * MemCase.All.Length);
    }

    [Test]
    public void Moves_and_conversions_between_general_and_xmm_registers()
    {
        var c = new Checker();
        foreach (var x in Xmms)
            foreach (var r in Regs)
            {
                c.One($"movd {x},{r}", a => a.MovdToXmm(Width.W32, x, r), Mnemonic.Movd, V(x), G(r, Width.W32));
                c.One($"movq {x},{r}", a => a.MovdToXmm(Width.W64, x, r), Mnemonic.Movq, V(x), G(r, Width.W64));
                c.One($"movd {r},{x}", a => a.MovdFromXmm(Width.W32, r, x), Mnemonic.Movd, G(r, Width.W32), V(x));
                c.One($"movq {r},{x}", a => a.MovdFromXmm(Width.W64, r, x), Mnemonic.Movq, G(r, Width.W64), V(x));
                foreach (var w in new[] { Width.W32, Width.W64 })
                {
                    c.One($"cvtsi2ss {x},{w} {r}", a => a.Cvtsi2ss(w, x, r), Mnemonic.Cvtsi2ss, V(x), G(r, w));
                    c.One($"cvtsi2sd {x},{w} {r}", a => a.Cvtsi2sd(w, x, r), Mnemonic.Cvtsi2sd, V(x), G(r, w));
                    c.One($"cvttss2si {w} {r},{x}", a => a.Cvttss2si(w, r, x), Mnemonic.Cvttss2si, G(r, w), V(x));
                    c.One($"cvttsd2si {w} {r},{x}", a => a.Cvttsd2si(w, r, x), Mnemonic.Cvttsd2si, G(r, w), V(x));
                }
                c.One($"pmovmskb {r},{x}", a => a.Pmovmskb(r, x), Mnemonic.Pmovmskb, G(r, Width.W32), V(x));
                c.One($"movmskps {r},{x}", a => a.Movmskps(r, x), Mnemonic.Movmskps, G(r, Width.W32), V(x));
                c.One($"movmskpd {r},{x}", a => a.Movmskpd(r, x), Mnemonic.Movmskpd, G(r, Width.W32), V(x));
            }
        foreach (var w in new[] { Width.W8, Width.W16 })
        {
            c.Throws($"movd {w} to xmm", a => a.MovdToXmm(w, Xmm.Xmm0, Reg.Rax));
            c.Throws($"movd {w} from xmm", a => a.MovdFromXmm(w, Reg.Rax, Xmm.Xmm0));
            c.Throws($"cvtsi2ss {w}", a => a.Cvtsi2ss(w, Xmm.Xmm0, Reg.Rax));
            c.Throws($"cvtsi2sd {w}", a => a.Cvtsi2sd(w, Xmm.Xmm0, Reg.Rax));
            c.Throws($"cvttss2si {w}", a => a.Cvttss2si(w, Reg.Rax, Xmm.Xmm0));
            c.Throws($"cvttsd2si {w}", a => a.Cvttsd2si(w, Reg.Rax, Xmm.Xmm0));
        }
        c.AssertAll(256 * 15 + 12);
    }

    static readonly Width[] LaneWidths = [Width.W8, Width.W16, Width.W32, Width.W64];
    static Mnemonic Pextr(Width w) => Named("Pextr" + "bwdq"[(int)w]);
    static Mnemonic Pinsr(Width w) => Named("Pinsr" + "bwdq"[(int)w]);
    // A lane's GPR is 32-bit, except for the 64-bit lane.
    static Width LaneGpr(Width w) => w == Width.W64 ? Width.W64 : Width.W32;

    [Test]
    public void Lane_extracts_and_inserts_over_every_register_lane_and_memory_form()
    {
        var c = new Checker();
        foreach (var w in LaneWidths)
        {
            int lanes = 16 / w.Bytes();
            foreach (var x in Xmms)
                foreach (var r in Regs)
                {
                    byte lane = (byte)(((int)x + (int)r) % lanes);
                    c.One($"pextr {w} {r},{x},{lane}", a => a.Pextr(w, r, x, lane), Pextr(w), G(r, LaneGpr(w)), V(x), new I(lane, OpKind.Immediate8));
                    c.One($"pinsr {w} {x},{r},{lane}", a => a.Pinsr(w, x, r, lane), Pinsr(w), V(x), G(r, LaneGpr(w)), new I(lane, OpKind.Immediate8));
                }
            for (byte lane = 0; lane < lanes; lane++)
            {
                byte l = lane;
                c.One($"pextr {w} lane {l}", a => a.Pextr(w, Reg.R9, Xmm.Xmm12, l), Pextr(w), G(Reg.R9, LaneGpr(w)), V(Xmm.Xmm12), new I(l));
            }
            c.Throws($"pextr {w} lane {lanes}", a => a.Pextr(w, Reg.Rax, Xmm.Xmm1, (byte)lanes));
            c.Throws($"pinsr {w} lane {lanes}", a => a.Pinsr(w, Xmm.Xmm1, Reg.Rax, (byte)lanes));
            c.Throws($"pextr {w} memory lane {lanes}", a => a.Pextr(w, Mem.At(Reg.Rax), Xmm.Xmm1, (byte)lanes));
            c.Throws($"pinsr {w} memory lane 255", a => a.Pinsr(w, Xmm.Xmm1, Mem.At(Reg.Rax), 255));
            int i = 0;
            foreach (var mc in MemCase.All)
            {
                var x = Xmms[i % 16];
                byte lane = (byte)(i++ % lanes);
                c.Mem($"pextr {w} ,{x},{lane}", mc, w.Bytes(), (a, m) => a.Pextr(w, m, x, lane), Pextr(w), m => [m, V(x), new I(lane, OpKind.Immediate8)]);
                c.Mem($"pinsr {w} {x},,{lane}", mc, w.Bytes(), (a, m) => a.Pinsr(w, x, m, lane), Pinsr(w), m => [V(x), m, new I(lane, OpKind.Immediate8)]);
            }
        }
        c.AssertAll(4 * (512 + 2 * MemCase.All.Length));
    }

    [Test]
    public void Shifts_by_an_immediate_over_every_register_and_count()
    {
        var c = new Checker();
        foreach (var op in Enum.GetValues<SseShiftOp>())
            foreach (var x in Xmms)
                foreach (byte n in new byte[] { 0, 1, 7, 8, 15, 16, 31, 63, 64, 255 })
                    c.One($"{op} {x},{n}", a => a.ShiftImm(op, x, n), Named(op.ToString()), V(x), new I(n, OpKind.Immediate8));
        c.Throws("SseShiftOp 10", a => a.ShiftImm((SseShiftOp)10, Xmm.Xmm0, 1));
        c.AssertAll(10 * 16 * 10);
    }

    [Test]
    public void Pmov_widens_from_memory_over_every_memory_form()
    {
        var c = new Checker();
        int i = 0;
        foreach (var mc in MemCase.All)
        {
            var op = Pmovs[i % Pmovs.Length];
            var x = Xmms[i++ % 16];
            c.Mem($"{op} {x},", mc, -1, (a, m) => a.Pmov(op, x, m), Named(op.ToString()), m => [V(x), m]);
        }
        c.AssertAll(MemCase.All.Length);
    }
}
