namespace Spec.Native.X64;

// The x86-64 encoding rules, in the one place every instruction goes through:
//   [F0 lock] [66 operand size] [66|F3|F2 mandatory prefix] [REX] [0F | 0F 38 | 0F 3A] opcode [ModRM [SIB] [disp]] [imm]
// An instruction's fixed part is an Enc: the opcode byte, its escape bytes, its prefixes and its operand size.

public sealed partial class Assembler
{
    /// <summary>An instruction's fixed part. Bits 0-7 are the opcode byte; the rest are the named fields.</summary>
    [Flags]
    internal enum Enc : uint
    {
        None = 0,
        OpcodeMask = 0xFF,
        // Escape bytes before the opcode.
        Map0F = 1 << 8, Map0F38 = 2 << 8, Map0F3A = 3 << 8, MapMask = 3 << 8,
        // The mandatory prefix that selects an SSE instruction.
        P66 = 1 << 10, PF3 = 2 << 10, PF2 = 3 << 10, PrefixMask = 3 << 10,
        /// <summary>REX.W: a 64-bit operand.</summary>
        W = 1 << 12,
        /// <summary>The 0x66 operand-size prefix: a 16-bit operand.</summary>
        Op16 = 1 << 13,
        Lock = 1 << 14,
        /// <summary>The ModRM reg field names an 8-bit register: 4-7 are spl..dil, which need a REX prefix (without one they are ah..bh).</summary>
        RegByte = 1 << 15,
        /// <summary>The ModRM rm field names an 8-bit register (as RegByte).</summary>
        RmByte = 1 << 16,
        // Attributes of SSE table entries, not encoded: a trailing imm8, no memory form, a pmovsx/zx (m64 source).
        Imm8 = 1 << 20, RegOnly = 1 << 21, Pmov = 1 << 22,
    }

    static Enc Op(int opcode) => (Enc)opcode;
    static Enc Op0F(int opcode) => Enc.Map0F | (Enc)opcode;

    /// <summary>
    /// The operand size of an integer instruction whose opcode has a w bit: the byte form is the opcode minus one,
    /// 16 bits add the 0x66 prefix, 64 bits REX.W.
    /// </summary>
    static Enc Sized(Enc e, Width w) => w switch
    {
        Width.W8 => (e - 1) | Enc.RegByte | Enc.RmByte,
        Width.W16 => e | Enc.Op16,
        Width.W32 => e,
        Width.W64 => e | Enc.W,
        _ => throw new ArgumentOutOfRangeException(nameof(w), w, "not a width"),
    };

    /// <summary>The operand size of an instruction without a byte form.</summary>
    static Enc SizedNo8(Enc e, Width w, string mnemonic) => w switch
    {
        Width.W16 => e | Enc.Op16,
        Width.W32 => e,
        Width.W64 => e | Enc.W,
        Width.W8 => throw new ArgumentException($"{mnemonic} has no 8-bit form", nameof(w)),
        _ => throw new ArgumentOutOfRangeException(nameof(w), w, "not a width"),
    };

    /// <summary>REX.W for a 64-bit operand of an instruction that has only 32- and 64-bit forms.</summary>
    static Enc Sized32Or64(Enc e, Width w, string mnemonic) => w switch
    {
        Width.W32 => e,
        Width.W64 => e | Enc.W,
        _ => throw new ArgumentException($"{mnemonic} takes a 32- or 64-bit operand, not {w}", nameof(w)),
    };

    // The bytes of an immediate of an operand of width w: an imm16 for 16 bits, and 64-bit operands take an imm32
    // that the processor sign-extends.
    static int ImmBytes(Width w) => w switch { Width.W8 => 1, Width.W16 => 2, _ => 4 };

    /// <summary>
    /// An immediate for an operand of width w, read as that width's signed value: 8- and 16-bit operands accept
    /// their signed or unsigned range (255 is -1 as a byte); 32 and 64 bits take any int (sign-extended for 64).
    /// </summary>
    static int Imm(Width w, int imm) => w switch
    {
        Width.W8 when imm is >= sbyte.MinValue and <= byte.MaxValue => (sbyte)imm,
        Width.W16 when imm is >= short.MinValue and <= ushort.MaxValue => (short)imm,
        Width.W32 or Width.W64 => imm,
        Width.W8 or Width.W16 => throw new ArgumentOutOfRangeException(nameof(imm), imm, $"does not fit an {w} operand"),
        _ => throw new ArgumentOutOfRangeException(nameof(w), w, "not a width"),
    };

    void PutImm(int value, int bytes)
    {
        if (bytes == 1) Put8(value);
        else if (bytes == 2) Put16(value);
        else Put32(value);
    }

    static bool IsInt8(int v) => v == (sbyte)v;

    // ---- The three operand shapes ----

    /// <summary>ModRM with a register operand (mod 11): reg and rm are register numbers, or reg a /digit.</summary>
    void EncodeRR(Enc e, int reg, int rm)
    {
        if ((uint)(reg | rm) > 15) throw new ArgumentOutOfRangeException(nameof(reg), "not a register");
        Ensure(MaxInstruction);
        bool byteRex = ((e & Enc.RegByte) != 0 && reg is >= 4 and < 8) || ((e & Enc.RmByte) != 0 && rm is >= 4 and < 8);
        PrefixesAndOpcode(e, ((reg >> 3) << 2) | (rm >> 3), byteRex);
        Put8(0xC0 | ((reg & 7) << 3) | (rm & 7));
    }

    /// <summary>ModRM with a memory operand; immBytes is what follows the displacement, so a RIP-relative one can be measured from the instruction's end.</summary>
    void EncodeRM(Enc e, int reg, in Mem m, int immBytes)
    {
        if ((uint)reg > 15) throw new ArgumentOutOfRangeException(nameof(reg), "not a register");
        if (m.Kind == Mem.Form.None) throw new ArgumentException("default(Mem) is not a memory operand", nameof(m));
        if (m.Kind == Mem.Form.Rip) CheckOwn(m.Target!);
        Ensure(MaxInstruction);
        int x = m.Kind == Mem.Form.BaseIndex ? m.IndexReg >> 3 : 0;
        int b = m.Kind == Mem.Form.Rip ? 0 : m.BaseReg >> 3;
        PrefixesAndOpcode(e, ((reg >> 3) << 2) | (x << 1) | b, (e & Enc.RegByte) != 0 && reg is >= 4 and < 8);

        reg = (reg & 7) << 3;
        if (m.Kind == Mem.Form.Rip)
        {
            // mod 00 rm 101: disp32 relative to the end of the instruction.
            Put8(0x05 | reg);
            Rel32(m.Target!, m.Disp, position + 4 + immBytes);
            return;
        }
        int @base = m.BaseReg & 7;
        // rm 100 means "a SIB byte follows", so rsp and r12 as a base need one; so does any index.
        bool sib = m.Kind == Mem.Form.BaseIndex || @base == 4;
        // mod 00 with base 101 means "no base, disp32", so rbp and r13 always carry a displacement, if only a zero disp8.
        int mod = m.Disp == 0 && @base != 5 ? 0 : IsInt8(m.Disp) ? 1 : 2;
        Put8((mod << 6) | reg | (sib ? 4 : @base));
        // Index 100 (without REX.X) means "no index".
        if (sib) Put8((m.ScaleLog2 << 6) | ((m.Kind == Mem.Form.BaseIndex ? m.IndexReg & 7 : 4) << 3) | @base);
        if (mod == 1) Put8(m.Disp);
        else if (mod == 2) Put32(m.Disp);
    }

    /// <summary>The register in the opcode's low three bits (push, pop, bswap, mov r, imm), with no ModRM.</summary>
    void EncodeO(Enc e, int reg)
    {
        if ((uint)reg > 15) throw new ArgumentOutOfRangeException(nameof(reg), "not a register");
        Ensure(MaxInstruction);
        PrefixesAndOpcode(e + (uint)(reg & 7), reg >> 3, (e & Enc.RmByte) != 0 && reg is >= 4 and < 8);
    }

    /// <summary>A /digit instruction: ModRM.reg is an opcode extension, never a byte register.</summary>
    void EncodeDigit(Enc e, int digit, int rm) => EncodeRR(e & ~Enc.RegByte, digit, rm);

    void EncodeDigit(Enc e, int digit, in Mem m, int immBytes) => EncodeRM(e & ~Enc.RegByte, digit, m, immBytes);

    /// <summary>Prefixes, REX (rxb: its R, X and B bits; forced for spl..dil) and the opcode with its escape bytes.</summary>
    void PrefixesAndOpcode(Enc e, int rxb, bool forceRex)
    {
        if ((e & Enc.Lock) != 0) Put8(0xF0);
        if ((e & Enc.Op16) != 0) Put8(0x66);
        switch (e & Enc.PrefixMask)
        {
            case Enc.P66: Put8(0x66); break;
            case Enc.PF3: Put8(0xF3); break;
            case Enc.PF2: Put8(0xF2); break;
        }
        int rex = ((e & Enc.W) != 0 ? 8 : 0) | rxb;
        if (rex != 0 || forceRex) Put8(0x40 | rex);
        switch (e & Enc.MapMask)
        {
            case Enc.Map0F: Put8(0x0F); break;
            case Enc.Map0F38: Put8(0x0F); Put8(0x38); break;
            case Enc.Map0F3A: Put8(0x0F); Put8(0x3A); break;
        }
        Put8((int)(e & Enc.OpcodeMask));
    }
}
