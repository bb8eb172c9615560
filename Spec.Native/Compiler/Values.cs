using Spec.Native.Runtime;
using Spec.Native.X64;

namespace Spec.Native.Compiler;

// The compile-time picture of the machine, which the single pass keeps instead of an IR: where each operand stack
// entry is (a constant, a register, its spill slot, the current value of a local, or a condition in the flags),
// where each local is, and which registers are taken. Code is emitted as instructions are read; this picture says
// what an instruction's operands look like.

/// <summary>Where an operand stack entry's value is.</summary>
internal enum Kind : byte
{
    /// <summary>A constant (<see cref="Entry.Bits"/>, <see cref="Entry.Hi"/>): folded into immediates where x86 allows.</summary>
    Const,
    /// <summary>In a register this entry owns (a GPR or an XMM register by its class).</summary>
    Reg,
    /// <summary>In spill slot <see cref="Entry.Slot"/> (the canonical slot of its stack position).</summary>
    Stack,
    /// <summary>The current value of local <see cref="Entry.Local"/> (local.get is free until the local changes).</summary>
    Local,
    /// <summary>An i32 that is 1 when condition <see cref="Entry.Cond"/> holds in the flags (a compare not yet materialized).</summary>
    Flags,
}

/// <summary>One operand stack entry.</summary>
internal struct Entry
{
    public VClass Class;
    public Kind Kind;
    public byte Reg;
    public Cond Cond;
    public int Local;
    public int Slot;
    public ulong Bits;
    public ulong Hi;

    public readonly bool IsFloat => Abi.IsFloat(Class);
    public readonly Reg Gpr => (Reg)Reg;
    public readonly Xmm Xmm => (Xmm)Reg;

    public static Entry Constant(VClass c, ulong bits, ulong hi = 0) => new() { Class = c, Kind = Kind.Const, Bits = bits, Hi = hi };
    public static Entry InGpr(VClass c, Reg r) => new() { Class = c, Kind = Kind.Reg, Reg = (byte)r };
    public static Entry InXmm(VClass c, Xmm x) => new() { Class = c, Kind = Kind.Reg, Reg = (byte)x };
    public static Entry Spilled(VClass c, int slot) => new() { Class = c, Kind = Kind.Stack, Slot = slot };
    public static Entry OfLocal(VClass c, int local) => new() { Class = c, Kind = Kind.Local, Local = local };
    public static Entry Condition(Cond cond) => new() { Class = VClass.I32, Kind = Kind.Flags, Cond = cond };

    public override readonly string ToString() => Kind switch
    {
        Kind.Const => $"{Class} const {Bits:x}",
        Kind.Reg => $"{Class} {(IsFloat ? Xmm.ToString() : Gpr.ToString())}",
        Kind.Local => $"{Class} local {Local}",
        Kind.Flags => $"flags {Cond}",
        _ => $"{Class} slot {Slot}",
    };
}

/// <summary>Where a pinned local's value is: its register, its home slot, or both alike.</summary>
internal enum Where : byte { Reg, Mem, Both }

/// <summary>
/// What a label expects of the machine when control arrives: where each of its values is (a register, or the
/// canonical slot of its position when <see cref="Values"/> says -1) and where each pinned local is. A forward
/// label's state is set by the first arrival and may only weaken later (Both becomes Reg or Mem); a loop
/// header's is fixed when the loop is entered.
/// </summary>
internal sealed class MergeState(int[] values, Where[] locals)
{
    /// <summary>For each label value: its register number, or -1 for its slot.</summary>
    public readonly int[] Values = values;
    /// <summary>Where each pinned local is, in the order of the function's pinned locals.</summary>
    public readonly Where[] Locals = locals;
}

/// <summary>An operation the compiler cannot translate: the function is reported as not compiled, never run some other way.</summary>
internal sealed class NotCompiledException(string reason) : Exception(reason);
