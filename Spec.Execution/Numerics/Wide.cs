namespace Spec.Execution;

// The wide-arithmetic proposal (not part of Wasm 3.0): 128-bit integer arithmetic on pairs of i64,
// each 128-bit number given and returned as (low half, high half). All operators are total and wrap modulo 2^128.
public static partial class Numerics
{
    static UInt128 Join(ulong lo, ulong hi) => new(hi, lo);

    static (ulong Lo, ulong Hi) Split(UInt128 v) => ((ulong)v, (ulong)(v >> 64));

    /// <summary>i64.add128: (lo1 + 2^64 hi1) + (lo2 + 2^64 hi2) modulo 2^128.</summary>
    public static (ulong Lo, ulong Hi) i64_add128(ulong lo1, ulong hi1, ulong lo2, ulong hi2) =>
        Split(unchecked(Join(lo1, hi1) + Join(lo2, hi2)));

    /// <summary>i64.sub128: (lo1 + 2^64 hi1) - (lo2 + 2^64 hi2) modulo 2^128.</summary>
    public static (ulong Lo, ulong Hi) i64_sub128(ulong lo1, ulong hi1, ulong lo2, ulong hi2) =>
        Split(unchecked(Join(lo1, hi1) - Join(lo2, hi2)));

    /// <summary>i64.mul_wide_s: the exact product of the signed readings, as a 128-bit two's complement number.</summary>
    public static (ulong Lo, ulong Hi) i64_mul_wide_s(ulong i1, ulong i2) =>
        Split((UInt128)((Int128)(long)i1 * (long)i2));

    /// <summary>i64.mul_wide_u: the exact product of the unsigned readings.</summary>
    public static (ulong Lo, ulong Hi) i64_mul_wide_u(ulong i1, ulong i2) =>
        Split((UInt128)i1 * i2);
}
