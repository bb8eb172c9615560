using Spec.Syntax;

namespace Spec.Execution;

// Operator dispatch (spectec 3.1-numerics.scalar, "Operator dispatch"): $unop_, $binop_, $testop_, $relop_,
// $cvtop__ over numtype. Values are the Const.Bits convention: the bit pattern, zero-extended to 64 bits.
// An operator the numtype does not admit (rejected by validation) throws ArgumentException.
public static partial class Numerics
{
    static float F32(ulong c) => f32((uint)c);
    static double F64(ulong c) => f64(c);
    static ulong Bits(float z) => bits(z);
    static ulong Bits(double z) => bits(z);

    static ArgumentException NotAdmitted(object t, object op) => new($"{op} is not an operator of {t}");

    /// <summary>$unop_(numtype, unop, c); total.</summary>
    public static ulong unop(NumType t, UnOp op, ulong c) => t switch
    {
        NumType.I32 or NumType.I64 => unop_i(t == NumType.I32 ? 32 : 64, op, c),
        NumType.F32 => Bits(op switch
        {
            UnOp.Abs => fabs(F32(c)), UnOp.Neg => fneg(F32(c)), UnOp.Sqrt => fsqrt(F32(c)),
            UnOp.Ceil => fceil(F32(c)), UnOp.Floor => ffloor(F32(c)), UnOp.Trunc => ftrunc(F32(c)),
            UnOp.Nearest => fnearest(F32(c)),
            _ => throw NotAdmitted(t, op),
        }),
        _ => Bits(op switch
        {
            UnOp.Abs => fabs(F64(c)), UnOp.Neg => fneg(F64(c)), UnOp.Sqrt => fsqrt(F64(c)),
            UnOp.Ceil => fceil(F64(c)), UnOp.Floor => ffloor(F64(c)), UnOp.Trunc => ftrunc(F64(c)),
            UnOp.Nearest => fnearest(F64(c)),
            _ => throw NotAdmitted(t, op),
        }),
    };

    static ulong unop_i(int N, UnOp op, ulong c) => op switch
    {
        UnOp.Clz => iclz(N, c),
        UnOp.Ctz => ictz(N, c),
        UnOp.Popcnt => ipopcnt(N, c),
        UnOp.Extend8S => iextend_s(N, 8, c),
        UnOp.Extend16S => iextend_s(N, 16, c),
        UnOp.Extend32S when N == 64 => iextend_s(N, 32, c),
        _ => throw NotAdmitted($"i{N}", op),
    };

    /// <summary>
    /// $binop_(numtype, binop, c1, c2); null is "no result" (integer division and remainder only), where the
    /// interpreter traps with <see cref="TrapOfBinop"/>.
    /// </summary>
    public static ulong? binop(NumType t, BinOp op, ulong c1, ulong c2) => t switch
    {
        NumType.I32 => binop_i(32, op, c1, c2),
        NumType.I64 => binop_i(64, op, c1, c2),
        NumType.F32 => Bits(op switch
        {
            BinOp.Add => fadd(F32(c1), F32(c2)), BinOp.Sub => fsub(F32(c1), F32(c2)),
            BinOp.Mul => fmul(F32(c1), F32(c2)), BinOp.Div => fdiv(F32(c1), F32(c2)),
            BinOp.Min => fmin(F32(c1), F32(c2)), BinOp.Max => fmax(F32(c1), F32(c2)),
            BinOp.Copysign => fcopysign(F32(c1), F32(c2)),
            _ => throw NotAdmitted(t, op),
        }),
        _ => Bits(op switch
        {
            BinOp.Add => fadd(F64(c1), F64(c2)), BinOp.Sub => fsub(F64(c1), F64(c2)),
            BinOp.Mul => fmul(F64(c1), F64(c2)), BinOp.Div => fdiv(F64(c1), F64(c2)),
            BinOp.Min => fmin(F64(c1), F64(c2)), BinOp.Max => fmax(F64(c1), F64(c2)),
            BinOp.Copysign => fcopysign(F64(c1), F64(c2)),
            _ => throw NotAdmitted(t, op),
        }),
    };

    static ulong? binop_i(int N, BinOp op, ulong c1, ulong c2) => op switch
    {
        BinOp.Add => iadd(N, c1, c2),
        BinOp.Sub => isub(N, c1, c2),
        BinOp.Mul => imul(N, c1, c2),
        BinOp.DivU => idiv_u(N, c1, c2),
        BinOp.DivS => idiv_s(N, c1, c2),
        BinOp.RemU => irem_u(N, c1, c2),
        BinOp.RemS => irem_s(N, c1, c2),
        BinOp.And => iand(N, c1, c2),
        BinOp.Or => ior(N, c1, c2),
        BinOp.Xor => ixor(N, c1, c2),
        BinOp.Shl => ishl(N, c1, c2),
        BinOp.ShrU => ishr_u(N, c1, c2),
        BinOp.ShrS => ishr_s(N, c1, c2),
        BinOp.Rotl => irotl(N, c1, c2),
        BinOp.Rotr => irotr(N, c1, c2),
        _ => throw NotAdmitted($"i{N}", op),
    };

    /// <summary>The trap when an integer binop has no result: division by zero, else signed overflow.</summary>
    public static TrapCode TrapOfBinop(ulong c2) => c2 == 0 ? TrapCode.IntegerDivideByZero : TrapCode.IntegerOverflow;

    /// <summary>$testop_(numtype, EQZ, c)</summary>
    public static uint testop(NumType t, TestOp op, ulong c) => t switch
    {
        NumType.I32 or NumType.I64 => ieqz(t == NumType.I32 ? 32 : 64, c),
        _ => throw NotAdmitted(t, op),
    };

    /// <summary>$relop_(numtype, relop, c1, c2): u32 0 or 1.</summary>
    public static uint relop(NumType t, RelOp op, ulong c1, ulong c2) => t switch
    {
        NumType.I32 => relop_i(32, op, c1, c2),
        NumType.I64 => relop_i(64, op, c1, c2),
        NumType.F32 => op switch
        {
            RelOp.Eq => feq(F32(c1), F32(c2)), RelOp.Ne => fne(F32(c1), F32(c2)),
            RelOp.Lt => flt(F32(c1), F32(c2)), RelOp.Gt => fgt(F32(c1), F32(c2)),
            RelOp.Le => fle(F32(c1), F32(c2)), RelOp.Ge => fge(F32(c1), F32(c2)),
            _ => throw NotAdmitted(t, op),
        },
        _ => op switch
        {
            RelOp.Eq => feq(F64(c1), F64(c2)), RelOp.Ne => fne(F64(c1), F64(c2)),
            RelOp.Lt => flt(F64(c1), F64(c2)), RelOp.Gt => fgt(F64(c1), F64(c2)),
            RelOp.Le => fle(F64(c1), F64(c2)), RelOp.Ge => fge(F64(c1), F64(c2)),
            _ => throw NotAdmitted(t, op),
        },
    };

    static uint relop_i(int N, RelOp op, ulong c1, ulong c2) => op switch
    {
        RelOp.Eq => ieq(N, c1, c2),
        RelOp.Ne => ine(N, c1, c2),
        RelOp.LtU => ilt_u(N, c1, c2),
        RelOp.LtS => ilt_s(N, c1, c2),
        RelOp.GtU => igt_u(N, c1, c2),
        RelOp.GtS => igt_s(N, c1, c2),
        RelOp.LeU => ile_u(N, c1, c2),
        RelOp.LeS => ile_s(N, c1, c2),
        RelOp.GeU => ige_u(N, c1, c2),
        RelOp.GeS => ige_s(N, c1, c2),
        _ => throw NotAdmitted($"i{N}", op),
    };

    static int size(NumType t) => t is NumType.I32 or NumType.F32 ? 32 : 64;

    /// <summary>
    /// $cvtop__(t1, t2, cvtop, c): converts <paramref name="c"/> of type <paramref name="t1"/> to <paramref name="t2"/>
    /// (the instruction t2.cvtop_t1). null is "no result" (trunc only): trap with <see cref="TrapOfCvtop"/>.
    /// </summary>
    public static ulong? cvtop(NumType t1, NumType t2, CvtOp op, ulong c)
    {
        int M = size(t1), N = size(t2);
        bool f1 = t1 is NumType.F32 or NumType.F64, f2 = t2 is NumType.F32 or NumType.F64;
        return (op, f1, f2) switch
        {
            (CvtOp.ExtendU, false, false) => extend_u(M, N, c),
            (CvtOp.ExtendS, false, false) => extend_s(M, N, c),
            (CvtOp.Wrap, false, false) => wrap(M, N, c),
            (CvtOp.TruncU, true, false) => M == 32 ? trunc_u(N, F32(c)) : trunc_u(N, F64(c)),
            (CvtOp.TruncS, true, false) => M == 32 ? trunc_s(N, F32(c)) : trunc_s(N, F64(c)),
            (CvtOp.TruncSatU, true, false) => M == 32 ? trunc_sat_u(N, F32(c)) : trunc_sat_u(N, F64(c)),
            (CvtOp.TruncSatS, true, false) => M == 32 ? trunc_sat_s(N, F32(c)) : trunc_sat_s(N, F64(c)),
            (CvtOp.ConvertU, false, true) => convert_u(M, N, c),
            (CvtOp.ConvertS, false, true) => convert_s(M, N, c),
            (CvtOp.Promote, true, true) when M == 32 && N == 64 => Bits(promote(F32(c))),
            (CvtOp.Demote, true, true) when M == 64 && N == 32 => Bits(demote(F64(c))),
            (CvtOp.Reinterpret, _, _) when M == N && f1 != f2 => c, // $reinterpret__: the same bits
            _ => throw NotAdmitted($"{t1} -> {t2}", op),
        };
    }

    /// <summary>The trap when <see cref="cvtop"/> has no result for operand <paramref name="c"/> of type <paramref name="t1"/>.</summary>
    public static TrapCode TrapOfCvtop(NumType t1, ulong c) =>
        t1 == NumType.F32 ? TrapOfTrunc(F32(c)) : TrapOfTrunc(F64(c));
}
