using Spec.Syntax;

namespace Spec.Execution;

// TEMPORARY: stands in for the numerics branch until it is merged; deleted then.
public static partial class Numerics
{
    static ulong M(NumType t, ulong v) => t == NumType.I32 ? (uint)v : v;
    static long S(NumType t, ulong v) => t == NumType.I32 ? (int)(uint)v : (long)v;
    public static ulong unop(NumType t, UnOp op, ulong c) => throw new NotImplementedException();
    public static ulong? binop(NumType t, BinOp op, ulong a, ulong b) => op switch
    {
        BinOp.Add => M(t, a + b), BinOp.Sub => M(t, a - b), BinOp.Mul => M(t, a * b),
        BinOp.DivS => b == 0 || (S(t, a) == (t == NumType.I32 ? int.MinValue : long.MinValue) && S(t, b) == -1) ? null : M(t, (ulong)(S(t, a) / S(t, b))),
        BinOp.DivU => b == 0 ? null : a / b,
        _ => throw new NotImplementedException(),
    };
    public static string TrapMessageBinop(ulong c2) => c2 == 0 ? "integer divide by zero" : "integer overflow";
    public static uint testop(NumType t, TestOp op, ulong c) => c == 0 ? 1u : 0u;
    public static uint relop(NumType t, RelOp op, ulong a, ulong b) => (op switch
    {
        RelOp.Eq => a == b, RelOp.Ne => a != b, RelOp.LtS => S(t, a) < S(t, b), RelOp.LtU => a < b,
        RelOp.GtS => S(t, a) > S(t, b), RelOp.GtU => a > b, RelOp.LeS => S(t, a) <= S(t, b), RelOp.LeU => a <= b,
        RelOp.GeS => S(t, a) >= S(t, b), RelOp.GeU => a >= b, _ => throw new NotImplementedException(),
    }) ? 1u : 0u;
    public static ulong? cvtop(NumType t1, NumType t2, CvtOp op, ulong c) => throw new NotImplementedException();
    public static string TrapMessageCvtop(NumType t1, ulong c) => "integer overflow";
    public static V128 vvunop(VVUnOp op, V128 v) => throw new NotImplementedException();
    public static V128 vvbinop(VVBinOp op, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vvternop(VVTernOp op, V128 v1, V128 v2, V128 v3) => throw new NotImplementedException();
    public static uint vvtestop(VVTestOp op, V128 v) => throw new NotImplementedException();
    public static V128 vunop(Shape s, VUnOp op, V128 v) => throw new NotImplementedException();
    public static V128 vbinop(Shape s, VBinOp op, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vternop(Shape s, VTernOp op, V128 v1, V128 v2, V128 v3) => throw new NotImplementedException();
    public static V128 vrelop(Shape s, VRelOp op, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vshiftop(Shape s, VShiftOp op, V128 v, uint i) => throw new NotImplementedException();
    public static uint vtestop(Shape s, VTestOp op, V128 v) => throw new NotImplementedException();
    public static uint vbitmask(Shape s, V128 v) => throw new NotImplementedException();
    public static V128 vswizzle(Shape s, VSwizzlOp op, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vshuffle(Shape s, ReadOnlySpan<byte> i, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vsplat(Shape s, ulong c) => throw new NotImplementedException();
    public static ulong vextract_lane(Shape s, Sx? sx, int i, V128 v) => throw new NotImplementedException();
    public static V128 vreplace_lane(Shape s, int i, V128 v, ulong c) => throw new NotImplementedException();
    public static V128 vextunop(Shape to, Shape from, VExtUnOp op, V128 v) => throw new NotImplementedException();
    public static V128 vextbinop(Shape to, Shape from, VExtBinOp op, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vextternop(Shape to, Shape from, VExtTernOp op, V128 v1, V128 v2, V128 v3) => throw new NotImplementedException();
    public static V128 vnarrow(Shape to, Shape from, Sx sx, V128 v1, V128 v2) => throw new NotImplementedException();
    public static V128 vcvtop(Shape to, Shape from, VCvtOp op, V128 v) => throw new NotImplementedException();
    public static V128 vload_extend(int M, Sx sx, ulong raw) => throw new NotImplementedException();
    public static V128 vload_splat(int N, ulong raw) => throw new NotImplementedException();
    public static V128 vload_zero(int N, ulong raw) => throw new NotImplementedException();
    public static V128 vload_lane(int N, int i, V128 v, ulong raw) => throw new NotImplementedException();
}
