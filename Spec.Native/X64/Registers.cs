namespace Spec.Native.X64;

// The operand vocabulary of the emitter: registers, operand sizes and condition codes, each numbered as the
// hardware numbers it, so an encoder puts the enum value straight into a ModRM, SIB or opcode field.

/// <summary>A general-purpose register; the value is its hardware number (bit 3 goes to a REX prefix).</summary>
public enum Reg : byte { Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8, R9, R10, R11, R12, R13, R14, R15 }

/// <summary>An SSE register; the value is its hardware number (bit 3 goes to a REX prefix).</summary>
public enum Xmm : byte { Xmm0, Xmm1, Xmm2, Xmm3, Xmm4, Xmm5, Xmm6, Xmm7, Xmm8, Xmm9, Xmm10, Xmm11, Xmm12, Xmm13, Xmm14, Xmm15 }

/// <summary>The size of an integer operand: 8, 16, 32 or 64 bits.</summary>
public enum Width : byte { W8, W16, W32, W64 }

/// <summary>A condition code, numbered as in the low nibble of Jcc, SETcc and CMOVcc (B = unsigned below, L = signed less).</summary>
public enum Cond : byte { O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G }

public static class CondExtensions
{
    /// <summary>The opposite condition: the hardware pairs each condition with its negation in the low bit.</summary>
    public static Cond Negate(this Cond c) => (Cond)((byte)c ^ 1);
}

public static class WidthExtensions
{
    /// <summary>The operand size in bytes: 1, 2, 4 or 8.</summary>
    public static int Bytes(this Width w) => 1 << (int)w;

    /// <summary>The operand size in bits: 8, 16, 32 or 64.</summary>
    public static int Bits(this Width w) => 8 << (int)w;
}
