namespace Spec.Native.X64;

// The general-purpose instructions: arithmetic, moves, shifts, multiplication and division, bit counts, flags to
// registers, atomics and the stack. Opcode numbers are those of the Intel SDM, volume 2.

/// <summary>The eight ALU operations, numbered as their /digit (and as the opcode row: add is 00-05, or 08-0D, ...).</summary>
public enum AluOp : byte { Add, Or, Adc, Sbb, And, Sub, Xor, Cmp }

/// <summary>Shifts and rotates, numbered as their /digit. Sal is Shl: it is encoded as the manuals list it, /4.</summary>
public enum ShiftOp : byte { Rol, Ror, Rcl, Rcr, Shl, Shr, Sal, Sar }

/// <summary>The one-operand group 3 instructions, numbered as their /digit (F6/F7 /2../7).</summary>
public enum UnaryOp : byte { Not = 2, Neg = 3, Mul = 4, Imul = 5, Div = 6, Idiv = 7 }

/// <summary>Bit scans and counts: popcnt, lzcnt, tzcnt (defined at zero: the width) and bsf, bsr (destination undefined at zero).</summary>
public enum BitOp : byte { Popcnt, Lzcnt, Tzcnt, Bsf, Bsr }

public sealed partial class Assembler
{
    // ---- Arithmetic: add, or, adc, sbb, and, sub, xor, cmp ----

    static Enc AluRow(AluOp op) =>
        (uint)op <= 7 ? (Enc)((int)op * 8) : throw new ArgumentOutOfRangeException(nameof(op), op, "not an ALU operation");

    /// <summary><c>op dst, src</c></summary>
    public void Alu(AluOp op, Width w, Reg dst, Reg src) => EncodeRR(Sized(AluRow(op) + 1, w), (int)src, (int)dst);

    /// <summary><c>op dst, [src]</c></summary>
    public void Alu(AluOp op, Width w, Reg dst, Mem src) => EncodeRM(Sized(AluRow(op) + 3, w), (int)dst, src, 0);

    /// <summary><c>op [dst], src</c></summary>
    public void Alu(AluOp op, Width w, Mem dst, Reg src) => EncodeRM(Sized(AluRow(op) + 1, w), (int)src, dst, 0);

    /// <summary>
    /// <c>op dst, imm</c>: an imm8 when it fits (sign-extended to the operand), else the accumulator's short form for
    /// rax, else imm16/imm32. For W64 the immediate is an imm32 that the processor sign-extends to 64 bits, so
    /// <c>and rax, -1</c> keeps every bit; W8 and W16 take their signed or unsigned range.
    /// </summary>
    public void Alu(AluOp op, Width w, Reg dst, int imm)
    {
        Enc row = AluRow(op);
        imm = Imm(w, imm);
        if (w == Width.W8)
        {
            if (dst == Reg.Rax) EncodeO(row + 4, 0);        // op al, imm8
            else EncodeDigit(Op(0x80) | Enc.RmByte, (int)op, (int)dst);
            Put8(imm);
        }
        else if (IsInt8(imm))
        {
            EncodeDigit(Sized(Op(0x83), w), (int)op, (int)dst);
            Put8(imm);
        }
        else
        {
            if (dst == Reg.Rax) EncodeO(Sized(row + 5, w), 0); // op eax, imm32
            else EncodeDigit(Sized(Op(0x81), w), (int)op, (int)dst);
            PutImm(imm, ImmBytes(w));
        }
    }

    /// <summary><c>op [dst], imm</c>, with the immediate rules of <see cref="Alu(AluOp, Width, Reg, int)"/>.</summary>
    public void Alu(AluOp op, Width w, Mem dst, int imm)
    {
        AluRow(op);
        imm = Imm(w, imm);
        int bytes = w == Width.W8 || IsInt8(imm) ? 1 : ImmBytes(w);
        Enc e = w == Width.W8 ? Op(0x80) : bytes == 1 ? Sized(Op(0x83), w) : Sized(Op(0x81), w);
        EncodeDigit(e, (int)op, dst, bytes);
        PutImm(imm, bytes);
    }

    /// <summary><c>lock op [dst], src</c>: an atomic read-modify-write (cmp writes nothing, so it cannot be locked).</summary>
    public void LockAlu(AluOp op, Width w, Mem dst, Reg src)
    {
        if (op == AluOp.Cmp) throw new ArgumentException("cmp cannot take a lock prefix", nameof(op));
        EncodeRM(Sized(AluRow(op) + 1, w) | Enc.Lock, (int)src, dst, 0);
    }

    /// <summary><c>test a, b</c></summary>
    public void Test(Width w, Reg a, Reg b) => EncodeRR(Sized(Op(0x85), w), (int)b, (int)a);

    /// <summary><c>test r, imm</c>: there is no imm8 form; W64 sign-extends an imm32.</summary>
    public void Test(Width w, Reg r, int imm)
    {
        imm = Imm(w, imm);
        if (r == Reg.Rax) EncodeO(Sized(Op(0xA9), w), 0);  // test eax, imm32
        else EncodeDigit(Sized(Op(0xF7), w), 0, (int)r);
        PutImm(imm, ImmBytes(w));
    }

    /// <summary><c>test [m], imm</c></summary>
    public void Test(Width w, Mem m, int imm)
    {
        imm = Imm(w, imm);
        EncodeDigit(Sized(Op(0xF7), w), 0, m, ImmBytes(w));
        PutImm(imm, ImmBytes(w));
    }

    // ---- Moves ----

    /// <summary><c>mov dst, src</c>; a 32-bit move zeroes the upper half of dst.</summary>
    public void Mov(Width w, Reg dst, Reg src) => EncodeRR(Sized(Op(0x89), w), (int)src, (int)dst);

    /// <summary><c>mov dst, [src]</c></summary>
    public void Mov(Width w, Reg dst, Mem src) => EncodeRM(Sized(Op(0x8B), w), (int)dst, src, 0);

    /// <summary><c>mov [dst], src</c></summary>
    public void Mov(Width w, Mem dst, Reg src) => EncodeRM(Sized(Op(0x89), w), (int)src, dst, 0);

    /// <summary><c>mov [dst], imm</c>; W64 stores the imm32 sign-extended.</summary>
    public void Mov(Width w, Mem dst, int imm)
    {
        imm = Imm(w, imm);
        EncodeDigit(Sized(Op(0xC7), w), 0, dst, ImmBytes(w));
        PutImm(imm, ImmBytes(w));
    }

    /// <summary>
    /// Loads a 64-bit constant by the shortest move: <c>mov r32, imm32</c> (zero-extends) up to 2^32-1,
    /// <c>mov r64, simm32</c> for other values that sign-extend from 32 bits, else <c>movabs r64, imm64</c>.
    /// Never <c>xor r, r</c> for zero: the flags stay intact.
    /// </summary>
    public void MovImm(Reg dst, ulong value)
    {
        if (value <= uint.MaxValue)
        {
            EncodeO(Op(0xB8), (int)dst);
            Put32((int)(uint)value);
        }
        else if ((long)value == (int)value)
        {
            EncodeDigit(Op(0xC7) | Enc.W, 0, (int)dst);
            Put32((int)value);
        }
        else
        {
            EncodeO(Op(0xB8) | Enc.W, (int)dst);
            Put64(value);
        }
    }

    static Enc MovzxOp(Width srcWidth) => srcWidth switch
    {
        Width.W8 => Op0F(0xB6) | Enc.RmByte,
        Width.W16 => Op0F(0xB7),
        _ => throw new ArgumentException($"movzx extends an 8- or 16-bit source, not {srcWidth} (a 32-bit mov zero-extends)", nameof(srcWidth)),
    };

    /// <summary><c>movzx r32, src8/src16</c>: the upper bits of the whole 64-bit register become zero.</summary>
    public void Movzx(Reg dst, Width srcWidth, Reg src) => EncodeRR(MovzxOp(srcWidth), (int)dst, (int)src);

    /// <summary><c>movzx r32, byte/word [src]</c></summary>
    public void Movzx(Reg dst, Width srcWidth, Mem src) => EncodeRM(MovzxOp(srcWidth), (int)dst, src, 0);

    static Enc MovsxOp(Width dstWidth, Width srcWidth)
    {
        if (dstWidth is not (Width.W16 or Width.W32 or Width.W64) || srcWidth >= dstWidth)
            throw new ArgumentException($"movsx cannot extend {srcWidth} to {dstWidth}", nameof(dstWidth));
        return srcWidth switch
        {
            Width.W8 => SizedNo8(Op0F(0xBE), dstWidth, "movsx") | Enc.RmByte,
            Width.W16 => SizedNo8(Op0F(0xBF), dstWidth, "movsx"),
            // movsxd: only its 64-bit destination form is a sign extension.
            Width.W32 when dstWidth == Width.W64 => Op(0x63) | Enc.W,
            _ => throw new ArgumentException($"movsx cannot extend {srcWidth} to {dstWidth}", nameof(srcWidth)),
        };
    }

    /// <summary><c>movsx dst, src</c> (movsxd for a 32-bit source, which needs a 64-bit destination).</summary>
    public void Movsx(Width dstWidth, Reg dst, Width srcWidth, Reg src) => EncodeRR(MovsxOp(dstWidth, srcWidth), (int)dst, (int)src);

    /// <summary><c>movsx dst, [src]</c></summary>
    public void Movsx(Width dstWidth, Reg dst, Width srcWidth, Mem src) => EncodeRM(MovsxOp(dstWidth, srcWidth), (int)dst, src, 0);

    /// <summary><c>lea dst, [m]</c></summary>
    public void Lea(Width w, Reg dst, Mem m) => EncodeRM(SizedNo8(Op(0x8D), w, "lea"), (int)dst, m, 0);

    /// <summary><c>xchg [m], r</c>: atomic without a lock prefix (a memory xchg always locks).</summary>
    public void Xchg(Width w, Mem m, Reg r) => EncodeRM(Sized(Op(0x87), w), (int)r, m, 0);

    /// <summary><c>lock xadd [m], r</c>: r receives the old value.</summary>
    public void LockXadd(Width w, Mem m, Reg r) => EncodeRM(Sized(Op0F(0xC1), w) | Enc.Lock, (int)r, m, 0);

    /// <summary><c>lock cmpxchg [m], r</c>: compares with rax (al, ax, eax), stores r if equal, else loads rax; ZF tells which.</summary>
    public void LockCmpxchg(Width w, Mem m, Reg r) => EncodeRM(Sized(Op0F(0xB1), w) | Enc.Lock, (int)r, m, 0);

    public void Mfence()
    {
        Ensure(3);
        Put8(0x0F); Put8(0xAE); Put8(0xF0);
    }

    /// <summary><c>bswap r32/r64</c> (its 16-bit form is undefined).</summary>
    public void Bswap(Width w, Reg r) => EncodeO(Sized32Or64(Op0F(0xC8), w, "bswap"), (int)r);

    // ---- Shifts ----

    static int ShiftDigit(ShiftOp op) => op switch
    {
        ShiftOp.Sal => (int)ShiftOp.Shl,
        <= ShiftOp.Sar => (int)op,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a shift"),
    };

    /// <summary><c>op r, imm8</c>; a count of 1 takes the short D1 form. The processor masks the count to 5 bits (6 for W64).</summary>
    public void Shift(ShiftOp op, Width w, Reg r, byte imm)
    {
        int digit = ShiftDigit(op);
        if (imm == 1) EncodeDigit(Sized(Op(0xD1), w), digit, (int)r);
        else
        {
            EncodeDigit(Sized(Op(0xC1), w), digit, (int)r);
            Put8(imm);
        }
    }

    /// <summary><c>op r, cl</c></summary>
    public void ShiftCl(ShiftOp op, Width w, Reg r) => EncodeDigit(Sized(Op(0xD3), w), ShiftDigit(op), (int)r);

    // ---- Multiplication, division, negation ----

    /// <summary><c>imul dst, src</c>: the low half of the product.</summary>
    public void Imul(Width w, Reg dst, Reg src) => EncodeRR(SizedNo8(Op0F(0xAF), w, "imul"), (int)dst, (int)src);

    /// <summary><c>imul dst, [src]</c></summary>
    public void Imul(Width w, Reg dst, Mem src) => EncodeRM(SizedNo8(Op0F(0xAF), w, "imul"), (int)dst, src, 0);

    /// <summary><c>imul dst, src, imm</c>: imm8 when it fits, else imm16/imm32 (sign-extended for W64).</summary>
    public void Imul(Width w, Reg dst, Reg src, int imm)
    {
        Enc e = SizedNo8(Op(0x6B), w, "imul");
        imm = Imm(w, imm);
        if (IsInt8(imm))
        {
            EncodeRR(e, (int)dst, (int)src);
            Put8(imm);
        }
        else
        {
            EncodeRR(SizedNo8(Op(0x69), w, "imul"), (int)dst, (int)src);
            PutImm(imm, ImmBytes(w));
        }
    }

    /// <summary>
    /// not, neg, or the one-operand mul/imul/div/idiv on rdx:rax (edx:eax, dx:ax, ax for W8). Division needs the
    /// high half set up first: <see cref="Cdq"/>/<see cref="Cqo"/> for idiv, a zeroed rdx for div.
    /// </summary>
    public void Unary(UnaryOp op, Width w, Reg r)
    {
        if (op is < UnaryOp.Not or > UnaryOp.Idiv) throw new ArgumentOutOfRangeException(nameof(op), op, "not a group 3 operation");
        EncodeDigit(Sized(Op(0xF7), w), (int)op, (int)r);
    }

    /// <summary><c>cdq</c>: edx = the sign of eax.</summary>
    public void Cdq() => EncodeO(Op(0x99), 0);

    /// <summary><c>cqo</c>: rdx = the sign of rax.</summary>
    public void Cqo() => EncodeO(Op(0x99) | Enc.W, 0);

    // ---- Bit counts ----

    /// <summary><c>popcnt/lzcnt/tzcnt/bsf/bsr dst, src</c> (16, 32 or 64 bits).</summary>
    public void BitCount(BitOp op, Width w, Reg dst, Reg src)
    {
        Enc e = op switch
        {
            BitOp.Popcnt => Enc.PF3 | Op0F(0xB8),
            BitOp.Lzcnt => Enc.PF3 | Op0F(0xBD),
            BitOp.Tzcnt => Enc.PF3 | Op0F(0xBC),
            BitOp.Bsf => Op0F(0xBC),
            BitOp.Bsr => Op0F(0xBD),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a bit operation"),
        };
        EncodeRR(SizedNo8(e, w, op.ToString().ToLowerInvariant()), (int)dst, (int)src);
    }

    // ---- Flags to registers ----

    static int CondCode(Cond c) => (uint)c <= 15 ? (int)c : throw new ArgumentOutOfRangeException(nameof(c), c, "not a condition");

    /// <summary><c>setcc r8</c>: the low byte only (movzx it for a full register).</summary>
    public void Setcc(Cond c, Reg r) => EncodeDigit(Op0F(0x90 + CondCode(c)) | Enc.RmByte, 0, (int)r);

    /// <summary><c>cmovcc dst, src</c> (16, 32 or 64 bits; the 32-bit form zeroes dst's upper half even when the condition fails).</summary>
    public void Cmov(Cond c, Width w, Reg dst, Reg src) => EncodeRR(SizedNo8(Op0F(0x40 + CondCode(c)), w, "cmov"), (int)dst, (int)src);

    /// <summary><c>cmovcc dst, [src]</c>: the load happens (and may fault) whatever the condition.</summary>
    public void Cmov(Cond c, Width w, Reg dst, Mem src) => EncodeRM(SizedNo8(Op0F(0x40 + CondCode(c)), w, "cmov"), (int)dst, src, 0);

    // ---- Stack and one-byte instructions ----

    public void Push(Reg r) => EncodeO(Op(0x50), (int)r);

    public void Pop(Reg r) => EncodeO(Op(0x58), (int)r);

    public void Ret() => Emit8(0xC3);

    public void Int3() => Emit8(0xCC);

    public void Nop() => Emit8(0x90);

    /// <summary><c>ud2</c>: the guaranteed invalid opcode, a trap.</summary>
    public void Ud2()
    {
        Ensure(2);
        Put8(0x0F); Put8(0x0B);
    }
}
