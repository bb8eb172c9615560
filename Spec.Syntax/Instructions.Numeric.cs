namespace Spec.Syntax;

// §2.4.1 Numeric instructions. Operator enums cover both the Inn and the Fnn variants of each
// category; which operators a numtype admits is the spec's (unop_(Inn) vs unop_(Fnn), ...).

/// <summary>unop_(Inn) ::= CLZ | CTZ | POPCNT | EXTEND sz; unop_(Fnn) ::= ABS | NEG | SQRT | CEIL | FLOOR | TRUNC | NEAREST</summary>
public enum UnOp : byte { Clz, Ctz, Popcnt, Extend8S, Extend16S, Extend32S, Abs, Neg, Sqrt, Ceil, Floor, Trunc, Nearest }

/// <summary>binop_(Inn) and binop_(Fnn); DIV/REM/SHR of integers carry their signedness.</summary>
public enum BinOp : byte
{
    Add, Sub, Mul, DivS, DivU, RemS, RemU, And, Or, Xor, Shl, ShrS, ShrU, Rotl, Rotr,
    Div, Min, Max, Copysign,
}

/// <summary>testop_(Inn) ::= EQZ</summary>
public enum TestOp : byte { Eqz }

/// <summary>relop_(Inn) ::= EQ | NE | LT sx | GT sx | LE sx | GE sx; relop_(Fnn) ::= EQ | NE | LT | GT | LE | GE</summary>
public enum RelOp : byte { Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU, Lt, Gt, Le, Ge }

/// <summary>cvtop__(numtype_1, numtype_2)</summary>
public enum CvtOp : byte
{
    ExtendS, ExtendU, Wrap,          // Inn -> Inn
    ConvertS, ConvertU,              // Inn -> Fnn
    TruncS, TruncU, TruncSatS, TruncSatU, // Fnn -> Inn
    Promote, Demote,                 // Fnn -> Fnn
    Reinterpret,                     // same size, int <-> float
}

/// <summary>CONST numtype num_(numtype). <paramref name="Bits"/> is the bit pattern (zero-extended for 32-bit types), so NaN payloads survive.</summary>
public sealed record Const(NumType Type, ulong Bits) : Instr
{
    public static Const I32(int v) => new(NumType.I32, (uint)v);
    public static Const I64(long v) => new(NumType.I64, (ulong)v);
    public static Const F32(float v) => new(NumType.F32, BitConverter.SingleToUInt32Bits(v));
    public static Const F64(double v) => new(NumType.F64, BitConverter.DoubleToUInt64Bits(v));
}

public sealed record Unop(NumType Type, UnOp Op) : Instr;
public sealed record Binop(NumType Type, BinOp Op) : Instr;
public sealed record Testop(NumType Type, TestOp Op) : Instr;
public sealed record Relop(NumType Type, RelOp Op) : Instr;

/// <summary>CVTOP numtype_1 numtype_2 cvtop: converts an operand of type <paramref name="From"/> to <paramref name="To"/> (shown To.op_From).</summary>
public sealed record Cvtop(NumType To, NumType From, CvtOp Op) : Instr;

// The wide-arithmetic proposal (not part of Wasm 3.0): 128-bit results as an i64 pair (low half, then high half).

/// <summary>The wide-arithmetic operators: ADD128 and SUB128 take [i64 i64 i64 i64], MUL_WIDE sx takes [i64 i64]; all yield [i64 i64].</summary>
public enum WideOp : byte { Add128, Sub128, MulWideS, MulWideU }

/// <summary>i64.add128 | i64.sub128 | i64.mul_wide_s | i64.mul_wide_u (wide-arithmetic proposal).</summary>
public sealed record WideArith(WideOp Op) : Instr;
