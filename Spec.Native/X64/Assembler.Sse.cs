namespace Spec.Native.X64;

// The SSE instructions up to SSE4.2, legacy (non-VEX) encodings: one table for every `op xmm, xmm/m` with or
// without an imm8, then the differently shaped ones (scalar moves, stores, GPR <-> XMM, lanes, masks, immediate shifts).

/// <summary>
/// The SSE operations of the form <c>op xmm, xmm/m</c> (and <c>op xmm, xmm/m, imm8</c>: the Imm group, for
/// <see cref="Assembler.SseImm(SseOp, Xmm, Xmm, byte)"/>). Each is named as its mnemonic. Scalar ones read an m32
/// or m64, pmovsx/zx an m16..m64, the rest an m128 (aligned for the non-movu forms: the processor faults otherwise).
/// </summary>
public enum SseOp : ushort
{
    // Scalar float.
    Addss, Addsd, Subss, Subsd, Mulss, Mulsd, Divss, Divsd, Sqrtss, Sqrtsd, Minss, Minsd, Maxss, Maxsd,
    Ucomiss, Ucomisd, Comiss, Comisd, Cvtss2sd, Cvtsd2ss,
    // Packed float.
    Addps, Addpd, Subps, Subpd, Mulps, Mulpd, Divps, Divpd, Sqrtps, Sqrtpd, Minps, Minpd, Maxps, Maxpd,
    Andps, Andpd, Andnps, Andnpd, Orps, Orpd, Xorps, Xorpd,
    Cvtdq2ps, Cvttps2dq, Cvtdq2pd, Cvtps2pd, Cvtpd2ps, Cvttpd2dq,
    Unpcklps, Unpcklpd, Unpckhps, Unpckhpd, Movhlps, Movlhps, Blendvps, Blendvpd,
    // Packed integer.
    Paddb, Paddw, Paddd, Paddq, Psubb, Psubw, Psubd, Psubq,
    Paddsb, Paddsw, Paddusb, Paddusw, Psubsb, Psubsw, Psubusb, Psubusw,
    Pmullw, Pmulld, Pmuludq, Pmuldq, Pmulhw, Pmulhuw, Pmulhrsw, Pmaddwd, Pmaddubsw, Pavgb, Pavgw,
    Pminsb, Pminsw, Pminsd, Pminub, Pminuw, Pminud, Pmaxsb, Pmaxsw, Pmaxsd, Pmaxub, Pmaxuw, Pmaxud,
    Pabsb, Pabsw, Pabsd, Pand, Pandn, Por, Pxor,
    Pcmpeqb, Pcmpeqw, Pcmpeqd, Pcmpeqq, Pcmpgtb, Pcmpgtw, Pcmpgtd, Pcmpgtq,
    Packsswb, Packssdw, Packuswb, Packusdw,
    Punpcklbw, Punpcklwd, Punpckldq, Punpcklqdq, Punpckhbw, Punpckhwd, Punpckhdq, Punpckhqdq,
    Pshufb, Psignb, Psignw, Psignd, Ptest, Pblendvb,
    Pmovsxbw, Pmovsxbd, Pmovsxbq, Pmovsxwd, Pmovsxwq, Pmovsxdq,
    Pmovzxbw, Pmovzxbd, Pmovzxbq, Pmovzxwd, Pmovzxwq, Pmovzxdq,
    Psllw, Pslld, Psllq, Psrlw, Psrld, Psrlq, Psraw, Psrad,
    // Loads and register moves (the stores are methods of their own).
    Movdqa, Movdqu, Movups, Movaps, Movapd,
    // With an imm8.
    Roundss, Roundsd, Roundps, Roundpd, Cmpss, Cmpsd, Cmpps, Cmppd,
    Pshufd, Pshuflw, Pshufhw, Shufps, Shufpd, Palignr, Pblendw, Blendps, Blendpd, Insertps, Dpps, Dppd,
}

/// <summary>The shifts by an immediate count (group 12-14); pslldq/psrldq shift the whole register by bytes.</summary>
public enum SseShiftOp : byte { Psllw, Pslld, Psllq, Psrlw, Psrld, Psrlq, Psraw, Psrad, Pslldq, Psrldq }

public sealed partial class Assembler
{
    // The mandatory prefix picks the data type: none for packed single, 66 for packed double and integers,
    // F3 for scalar single, F2 for scalar double; SSSE3 and SSE4 live in the 0F 38 and 0F 3A maps.
    static Enc Ps(int opcode) => Op0F(opcode);
    static Enc Pd(int opcode) => Enc.P66 | Op0F(opcode);
    static Enc Ss(int opcode) => Enc.PF3 | Op0F(opcode);
    static Enc Sd(int opcode) => Enc.PF2 | Op0F(opcode);
    static Enc P38(int opcode) => Enc.P66 | Enc.Map0F38 | (Enc)opcode;
    static Enc P3A(int opcode) => Enc.P66 | Enc.Map0F3A | (Enc)opcode | Enc.Imm8;

    static Enc SseEncoding(SseOp op) => op switch
    {
        SseOp.Addss => Ss(0x58), SseOp.Addsd => Sd(0x58), SseOp.Subss => Ss(0x5C), SseOp.Subsd => Sd(0x5C),
        SseOp.Mulss => Ss(0x59), SseOp.Mulsd => Sd(0x59), SseOp.Divss => Ss(0x5E), SseOp.Divsd => Sd(0x5E),
        SseOp.Sqrtss => Ss(0x51), SseOp.Sqrtsd => Sd(0x51), SseOp.Minss => Ss(0x5D), SseOp.Minsd => Sd(0x5D),
        SseOp.Maxss => Ss(0x5F), SseOp.Maxsd => Sd(0x5F),
        SseOp.Ucomiss => Ps(0x2E), SseOp.Ucomisd => Pd(0x2E), SseOp.Comiss => Ps(0x2F), SseOp.Comisd => Pd(0x2F),
        SseOp.Cvtss2sd => Ss(0x5A), SseOp.Cvtsd2ss => Sd(0x5A),

        SseOp.Addps => Ps(0x58), SseOp.Addpd => Pd(0x58), SseOp.Subps => Ps(0x5C), SseOp.Subpd => Pd(0x5C),
        SseOp.Mulps => Ps(0x59), SseOp.Mulpd => Pd(0x59), SseOp.Divps => Ps(0x5E), SseOp.Divpd => Pd(0x5E),
        SseOp.Sqrtps => Ps(0x51), SseOp.Sqrtpd => Pd(0x51), SseOp.Minps => Ps(0x5D), SseOp.Minpd => Pd(0x5D),
        SseOp.Maxps => Ps(0x5F), SseOp.Maxpd => Pd(0x5F),
        SseOp.Andps => Ps(0x54), SseOp.Andpd => Pd(0x54), SseOp.Andnps => Ps(0x55), SseOp.Andnpd => Pd(0x55),
        SseOp.Orps => Ps(0x56), SseOp.Orpd => Pd(0x56), SseOp.Xorps => Ps(0x57), SseOp.Xorpd => Pd(0x57),
        SseOp.Cvtdq2ps => Ps(0x5B), SseOp.Cvttps2dq => Ss(0x5B), SseOp.Cvtdq2pd => Ss(0xE6),
        SseOp.Cvtps2pd => Ps(0x5A), SseOp.Cvtpd2ps => Pd(0x5A), SseOp.Cvttpd2dq => Pd(0xE6),
        SseOp.Unpcklps => Ps(0x14), SseOp.Unpcklpd => Pd(0x14), SseOp.Unpckhps => Ps(0x15), SseOp.Unpckhpd => Pd(0x15),
        // Their memory forms are other instructions (movlps, movhps).
        SseOp.Movhlps => Ps(0x12) | Enc.RegOnly, SseOp.Movlhps => Ps(0x16) | Enc.RegOnly,
        // The blendv family's mask is xmm0, implicitly.
        SseOp.Blendvps => P38(0x14), SseOp.Blendvpd => P38(0x15),

        SseOp.Paddb => Pd(0xFC), SseOp.Paddw => Pd(0xFD), SseOp.Paddd => Pd(0xFE), SseOp.Paddq => Pd(0xD4),
        SseOp.Psubb => Pd(0xF8), SseOp.Psubw => Pd(0xF9), SseOp.Psubd => Pd(0xFA), SseOp.Psubq => Pd(0xFB),
        SseOp.Paddsb => Pd(0xEC), SseOp.Paddsw => Pd(0xED), SseOp.Paddusb => Pd(0xDC), SseOp.Paddusw => Pd(0xDD),
        SseOp.Psubsb => Pd(0xE8), SseOp.Psubsw => Pd(0xE9), SseOp.Psubusb => Pd(0xD8), SseOp.Psubusw => Pd(0xD9),
        SseOp.Pmullw => Pd(0xD5), SseOp.Pmulld => P38(0x40), SseOp.Pmuludq => Pd(0xF4), SseOp.Pmuldq => P38(0x28),
        SseOp.Pmulhw => Pd(0xE5), SseOp.Pmulhuw => Pd(0xE4), SseOp.Pmulhrsw => P38(0x0B),
        SseOp.Pmaddwd => Pd(0xF5), SseOp.Pmaddubsw => P38(0x04), SseOp.Pavgb => Pd(0xE0), SseOp.Pavgw => Pd(0xE3),
        SseOp.Pminsb => P38(0x38), SseOp.Pminsw => Pd(0xEA), SseOp.Pminsd => P38(0x39),
        SseOp.Pminub => Pd(0xDA), SseOp.Pminuw => P38(0x3A), SseOp.Pminud => P38(0x3B),
        SseOp.Pmaxsb => P38(0x3C), SseOp.Pmaxsw => Pd(0xEE), SseOp.Pmaxsd => P38(0x3D),
        SseOp.Pmaxub => Pd(0xDE), SseOp.Pmaxuw => P38(0x3E), SseOp.Pmaxud => P38(0x3F),
        SseOp.Pabsb => P38(0x1C), SseOp.Pabsw => P38(0x1D), SseOp.Pabsd => P38(0x1E),
        SseOp.Pand => Pd(0xDB), SseOp.Pandn => Pd(0xDF), SseOp.Por => Pd(0xEB), SseOp.Pxor => Pd(0xEF),
        SseOp.Pcmpeqb => Pd(0x74), SseOp.Pcmpeqw => Pd(0x75), SseOp.Pcmpeqd => Pd(0x76), SseOp.Pcmpeqq => P38(0x29),
        SseOp.Pcmpgtb => Pd(0x64), SseOp.Pcmpgtw => Pd(0x65), SseOp.Pcmpgtd => Pd(0x66), SseOp.Pcmpgtq => P38(0x37),
        SseOp.Packsswb => Pd(0x63), SseOp.Packssdw => Pd(0x6B), SseOp.Packuswb => Pd(0x67), SseOp.Packusdw => P38(0x2B),
        SseOp.Punpcklbw => Pd(0x60), SseOp.Punpcklwd => Pd(0x61), SseOp.Punpckldq => Pd(0x62), SseOp.Punpcklqdq => Pd(0x6C),
        SseOp.Punpckhbw => Pd(0x68), SseOp.Punpckhwd => Pd(0x69), SseOp.Punpckhdq => Pd(0x6A), SseOp.Punpckhqdq => Pd(0x6D),
        SseOp.Pshufb => P38(0x00), SseOp.Psignb => P38(0x08), SseOp.Psignw => P38(0x09), SseOp.Psignd => P38(0x0A),
        SseOp.Ptest => P38(0x17), SseOp.Pblendvb => P38(0x10),
        SseOp.Pmovsxbw => P38(0x20) | Enc.Pmov, SseOp.Pmovsxbd => P38(0x21) | Enc.Pmov, SseOp.Pmovsxbq => P38(0x22) | Enc.Pmov,
        SseOp.Pmovsxwd => P38(0x23) | Enc.Pmov, SseOp.Pmovsxwq => P38(0x24) | Enc.Pmov, SseOp.Pmovsxdq => P38(0x25) | Enc.Pmov,
        SseOp.Pmovzxbw => P38(0x30) | Enc.Pmov, SseOp.Pmovzxbd => P38(0x31) | Enc.Pmov, SseOp.Pmovzxbq => P38(0x32) | Enc.Pmov,
        SseOp.Pmovzxwd => P38(0x33) | Enc.Pmov, SseOp.Pmovzxwq => P38(0x34) | Enc.Pmov, SseOp.Pmovzxdq => P38(0x35) | Enc.Pmov,
        SseOp.Psllw => Pd(0xF1), SseOp.Pslld => Pd(0xF2), SseOp.Psllq => Pd(0xF3),
        SseOp.Psrlw => Pd(0xD1), SseOp.Psrld => Pd(0xD2), SseOp.Psrlq => Pd(0xD3), SseOp.Psraw => Pd(0xE1), SseOp.Psrad => Pd(0xE2),

        SseOp.Movdqa => Pd(0x6F), SseOp.Movdqu => Ss(0x6F), SseOp.Movups => Ps(0x10), SseOp.Movaps => Ps(0x28), SseOp.Movapd => Pd(0x28),

        SseOp.Roundss => P3A(0x0A), SseOp.Roundsd => P3A(0x0B), SseOp.Roundps => P3A(0x08), SseOp.Roundpd => P3A(0x09),
        SseOp.Cmpss => Ss(0xC2) | Enc.Imm8, SseOp.Cmpsd => Sd(0xC2) | Enc.Imm8,
        SseOp.Cmpps => Ps(0xC2) | Enc.Imm8, SseOp.Cmppd => Pd(0xC2) | Enc.Imm8,
        SseOp.Pshufd => Pd(0x70) | Enc.Imm8, SseOp.Pshuflw => Sd(0x70) | Enc.Imm8, SseOp.Pshufhw => Ss(0x70) | Enc.Imm8,
        SseOp.Shufps => Ps(0xC6) | Enc.Imm8, SseOp.Shufpd => Pd(0xC6) | Enc.Imm8,
        SseOp.Palignr => P3A(0x0F), SseOp.Pblendw => P3A(0x0E), SseOp.Blendps => P3A(0x0C), SseOp.Blendpd => P3A(0x0D),
        SseOp.Insertps => P3A(0x21), SseOp.Dpps => P3A(0x40), SseOp.Dppd => P3A(0x41),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an SSE operation"),
    };

    // The switch above, as an array an instruction indexes without branching.
    static readonly Enc[] SseTable = [.. Enum.GetValues<SseOp>().Select(SseEncoding)];

    static Enc SseEnc(SseOp op) =>
        (uint)op < (uint)SseTable.Length ? SseTable[(int)op] : throw new ArgumentOutOfRangeException(nameof(op), op, "not an SSE operation");

    static Enc SseNoImm(SseOp op)
    {
        Enc e = SseEnc(op);
        return (e & Enc.Imm8) == 0 ? e : throw new ArgumentException($"{op} takes an imm8: use SseImm", nameof(op));
    }

    static Enc SseWithImm(SseOp op, byte imm)
    {
        Enc e = SseEnc(op);
        if ((e & Enc.Imm8) == 0) throw new ArgumentException($"{op} takes no imm8: use Sse", nameof(op));
        // Legacy cmpps & co. have predicates 0-7 only (the rest are VEX); round's bits 4-7 are reserved.
        if (op is SseOp.Cmpss or SseOp.Cmpsd or SseOp.Cmpps or SseOp.Cmppd && imm > 7)
            throw new ArgumentOutOfRangeException(nameof(imm), imm, "an SSE compare predicate is 0-7");
        if (op is SseOp.Roundss or SseOp.Roundsd or SseOp.Roundps or SseOp.Roundpd && imm > 15)
            throw new ArgumentOutOfRangeException(nameof(imm), imm, "a rounding control is 0-15");
        return e;
    }

    static Enc WithMemory(Enc e, SseOp op) =>
        (e & Enc.RegOnly) == 0 ? e : throw new ArgumentException($"{op} has no memory form", nameof(op));

    /// <summary><c>op dst, src</c></summary>
    public void Sse(SseOp op, Xmm dst, Xmm src) => EncodeRR(SseNoImm(op), (int)dst, (int)src);

    /// <summary><c>op dst, [src]</c></summary>
    public void Sse(SseOp op, Xmm dst, Mem src) => EncodeRM(WithMemory(SseNoImm(op), op), (int)dst, src, 0);

    /// <summary><c>op dst, src, imm8</c></summary>
    public void SseImm(SseOp op, Xmm dst, Xmm src, byte imm)
    {
        EncodeRR(SseWithImm(op, imm), (int)dst, (int)src);
        Put8(imm);
    }

    /// <summary><c>op dst, [src], imm8</c></summary>
    public void SseImm(SseOp op, Xmm dst, Mem src, byte imm)
    {
        EncodeRM(SseWithImm(op, imm), (int)dst, src, 1);
        Put8(imm);
    }

    /// <summary><c>pmovsx/pmovzx dst, [src]</c>: widens the low lanes read from memory (m64 for bw, wd, dq).</summary>
    public void Pmov(SseOp op, Xmm dst, Mem src)
    {
        Enc e = SseEnc(op);
        if ((e & Enc.Pmov) == 0) throw new ArgumentException($"{op} is not a pmovsx/pmovzx", nameof(op));
        EncodeRM(e, (int)dst, src, 0);
    }

    // ---- Scalar moves ----

    /// <summary><c>movss dst, dword [src]</c>: zeroes the rest of dst.</summary>
    public void MovssLoad(Xmm dst, Mem src) => EncodeRM(Ss(0x10), (int)dst, src, 0);

    /// <summary><c>movsd dst, qword [src]</c>: zeroes the rest of dst.</summary>
    public void MovsdLoad(Xmm dst, Mem src) => EncodeRM(Sd(0x10), (int)dst, src, 0);

    /// <summary><c>movss dword [dst], src</c></summary>
    public void MovssStore(Mem dst, Xmm src) => EncodeRM(Ss(0x11), (int)src, dst, 0);

    /// <summary><c>movsd qword [dst], src</c></summary>
    public void MovsdStore(Mem dst, Xmm src) => EncodeRM(Sd(0x11), (int)src, dst, 0);

    /// <summary><c>movss dst, src</c>: the low lane only; the rest of dst stays.</summary>
    public void Movss(Xmm dst, Xmm src) => EncodeRR(Ss(0x10), (int)dst, (int)src);

    /// <summary><c>movsd dst, src</c>: the low lane only; the rest of dst stays.</summary>
    public void Movsd(Xmm dst, Xmm src) => EncodeRR(Sd(0x10), (int)dst, (int)src);

    // ---- 128-bit and 64-bit stores, 64-bit loads ----

    /// <summary><c>movdqu [dst], src</c></summary>
    public void Movdqu(Mem dst, Xmm src) => EncodeRM(Ss(0x7F), (int)src, dst, 0);

    /// <summary><c>movdqa [dst], src</c> (dst 16-byte aligned)</summary>
    public void Movdqa(Mem dst, Xmm src) => EncodeRM(Pd(0x7F), (int)src, dst, 0);

    /// <summary><c>movups [dst], src</c></summary>
    public void Movups(Mem dst, Xmm src) => EncodeRM(Ps(0x11), (int)src, dst, 0);

    /// <summary><c>movaps [dst], src</c> (dst 16-byte aligned)</summary>
    public void Movaps(Mem dst, Xmm src) => EncodeRM(Ps(0x29), (int)src, dst, 0);

    /// <summary><c>movq qword [dst], src</c>: the low 64 bits.</summary>
    public void Movq(Mem dst, Xmm src) => EncodeRM(Pd(0xD6), (int)src, dst, 0);

    /// <summary><c>movq dst, qword [src]</c>: zeroes the upper 64 bits.</summary>
    public void Movq(Xmm dst, Mem src) => EncodeRM(Ss(0x7E), (int)dst, src, 0);

    /// <summary><c>movq dst, src</c>: the low 64 bits, zeroing the upper ones.</summary>
    public void Movq(Xmm dst, Xmm src) => EncodeRR(Ss(0x7E), (int)dst, (int)src);

    // ---- Between general-purpose and SSE registers ----

    /// <summary><c>movd xmm, r32</c> or <c>movq xmm, r64</c>: zeroes the rest of the xmm register.</summary>
    public void MovdToXmm(Width w, Xmm dst, Reg src) => EncodeRR(Sized32Or64(Pd(0x6E), w, "movd"), (int)dst, (int)src);

    /// <summary><c>movd r32, xmm</c> or <c>movq r64, xmm</c>: the low lane.</summary>
    public void MovdFromXmm(Width w, Reg dst, Xmm src) => EncodeRR(Sized32Or64(Pd(0x7E), w, "movd"), (int)src, (int)dst);

    /// <summary><c>cvtsi2ss dst, r32/r64</c>: rounds by MXCSR (round to nearest by default). The rest of dst stays.</summary>
    public void Cvtsi2ss(Width srcWidth, Xmm dst, Reg src) => EncodeRR(Sized32Or64(Ss(0x2A), srcWidth, "cvtsi2ss"), (int)dst, (int)src);

    /// <summary><c>cvtsi2sd dst, r32/r64</c> (exact for 32-bit sources). The rest of dst stays.</summary>
    public void Cvtsi2sd(Width srcWidth, Xmm dst, Reg src) => EncodeRR(Sized32Or64(Sd(0x2A), srcWidth, "cvtsi2sd"), (int)dst, (int)src);

    /// <summary><c>cvttss2si r32/r64, src</c>: truncates; NaN and out-of-range give the "integer indefinite" (the minimum).</summary>
    public void Cvttss2si(Width dstWidth, Reg dst, Xmm src) => EncodeRR(Sized32Or64(Ss(0x2C), dstWidth, "cvttss2si"), (int)dst, (int)src);

    /// <summary><c>cvttsd2si r32/r64, src</c>, as <see cref="Cvttss2si"/>.</summary>
    public void Cvttsd2si(Width dstWidth, Reg dst, Xmm src) => EncodeRR(Sized32Or64(Sd(0x2C), dstWidth, "cvttsd2si"), (int)dst, (int)src);

    // ---- Lanes ----

    static byte Lane(Width laneWidth, byte lane) =>
        lane < 16 >> (int)laneWidth ? lane
        : throw new ArgumentOutOfRangeException(nameof(lane), lane, $"an xmm register has {16 >> (int)laneWidth} lanes of {laneWidth}");

    // pextrb/w/d/q with a register or memory destination; the register form of pextrw is the shorter SSE2 one.
    static Enc PextrOp(Width laneWidth, bool memory) => laneWidth switch
    {
        Width.W8 => P3A(0x14),
        Width.W16 => memory ? P3A(0x15) : Pd(0xC5),
        Width.W32 => P3A(0x16),
        Width.W64 => P3A(0x16) | Enc.W,
        _ => throw new ArgumentOutOfRangeException(nameof(laneWidth), laneWidth, "not a width"),
    };

    /// <summary><c>pextrb/w/d/q dst, src, lane</c>: the lane zero-extended into r32 (r64 for W64).</summary>
    public void Pextr(Width laneWidth, Reg dst, Xmm src, byte lane)
    {
        Enc e = PextrOp(laneWidth, memory: false);
        lane = Lane(laneWidth, lane);
        // pextrw's SSE2 form has the GPR in ModRM.reg, the others in ModRM.rm.
        if (laneWidth == Width.W16) EncodeRR(e, (int)dst, (int)src);
        else EncodeRR(e, (int)src, (int)dst);
        Put8(lane);
    }

    /// <summary><c>pextrb/w/d/q [dst], src, lane</c>: stores one lane.</summary>
    public void Pextr(Width laneWidth, Mem dst, Xmm src, byte lane)
    {
        Enc e = PextrOp(laneWidth, memory: true);
        lane = Lane(laneWidth, lane);
        EncodeRM(e, (int)src, dst, 1);
        Put8(lane);
    }

    static Enc PinsrOp(Width laneWidth) => laneWidth switch
    {
        Width.W8 => P3A(0x20),
        Width.W16 => Pd(0xC4),
        Width.W32 => P3A(0x22),
        Width.W64 => P3A(0x22) | Enc.W,
        _ => throw new ArgumentOutOfRangeException(nameof(laneWidth), laneWidth, "not a width"),
    };

    /// <summary><c>pinsrb/w/d/q dst, r32/r64, lane</c>: replaces one lane with the low bits of src.</summary>
    public void Pinsr(Width laneWidth, Xmm dst, Reg src, byte lane)
    {
        Enc e = PinsrOp(laneWidth);
        lane = Lane(laneWidth, lane);
        EncodeRR(e, (int)dst, (int)src);
        Put8(lane);
    }

    /// <summary><c>pinsrb/w/d/q dst, [src], lane</c></summary>
    public void Pinsr(Width laneWidth, Xmm dst, Mem src, byte lane)
    {
        Enc e = PinsrOp(laneWidth);
        lane = Lane(laneWidth, lane);
        EncodeRM(e, (int)dst, src, 1);
        Put8(lane);
    }

    // ---- Masks ----

    /// <summary><c>pmovmskb r32, src</c>: the top bit of each byte.</summary>
    public void Pmovmskb(Reg dst, Xmm src) => EncodeRR(Pd(0xD7), (int)dst, (int)src);

    /// <summary><c>movmskps r32, src</c>: the sign of each float.</summary>
    public void Movmskps(Reg dst, Xmm src) => EncodeRR(Ps(0x50), (int)dst, (int)src);

    /// <summary><c>movmskpd r32, src</c>: the sign of each double.</summary>
    public void Movmskpd(Reg dst, Xmm src) => EncodeRR(Pd(0x50), (int)dst, (int)src);

    // ---- Shifts by an immediate ----

    /// <summary><c>op xmm, imm8</c>: a count at or beyond the lane width clears the lanes (psra: fills them with the sign).</summary>
    public void ShiftImm(SseShiftOp op, Xmm dst, byte imm)
    {
        (int opcode, int digit) = op switch
        {
            SseShiftOp.Psrlw => (0x71, 2), SseShiftOp.Psraw => (0x71, 4), SseShiftOp.Psllw => (0x71, 6),
            SseShiftOp.Psrld => (0x72, 2), SseShiftOp.Psrad => (0x72, 4), SseShiftOp.Pslld => (0x72, 6),
            SseShiftOp.Psrlq => (0x73, 2), SseShiftOp.Psrldq => (0x73, 3), SseShiftOp.Psllq => (0x73, 6), SseShiftOp.Pslldq => (0x73, 7),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an SSE shift"),
        };
        EncodeDigit(Pd(opcode), digit, (int)dst);
        Put8(imm);
    }
}
