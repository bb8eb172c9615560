using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Spec.Execution;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;

namespace Spec.Native.Runtime;

// How compiled code, its stubs and the runtime agree: the calling convention between JIT functions and the
// offsets of the native blocks they share. Every such fact is stated here once.
//
// Calling convention (our own, System V-like): integer-class values (i32, i64, references as handles) go in
// rdi, rsi, rdx, rcx, r8, r9, float-class values (f32, f64, v128) in xmm0-xmm7, the rest in 16-byte stack slots
// at [rsp + 16k] at the call ([rbp + 16 + 16k] in the callee). Results come back in rax, rdx and xmm0, xmm1, the
// rest in the same stack slots; every call reserves at least TailCallSlots of them. Every register but the pinned ones is the caller's to save. Pinned throughout:
// r14 = the store's cells, r13 = memory 0's base, r12 = memory 0's cell (each function sets r12 and r13 itself).
// A call through a FuncCell (imports, call_indirect, call_ref) has the cell in rax, which host stubs read.
// i32 values in registers always have their upper 32 bits clear.

/// <summary>The class of a value as native code holds it.</summary>
internal enum VClass : byte { I32, I64, F32, F64, V128, Ref }

/// <summary>Where one parameter or result travels: a register or stack slot k.</summary>
internal readonly record struct Placement(VClass Class, Reg Gpr, Xmm Xmm, int Slot)
{
    public bool IsFloat => Abi.IsFloat(Class);
    public bool OnStack => Slot >= 0;
}

internal static class Abi
{
    public static readonly Reg[] IntArgs = [Reg.Rdi, Reg.Rsi, Reg.Rdx, Reg.Rcx, Reg.R8, Reg.R9];
    public static readonly Xmm[] FloatArgs = [Xmm.Xmm0, Xmm.Xmm1, Xmm.Xmm2, Xmm.Xmm3, Xmm.Xmm4, Xmm.Xmm5, Xmm.Xmm6, Xmm.Xmm7];
    public static readonly Reg[] IntResults = [Reg.Rax, Reg.Rdx];
    public static readonly Xmm[] FloatResults = [Xmm.Xmm0, Xmm.Xmm1];

    /// <summary>Stack-passed values take 16 bytes each, whatever their class.</summary>
    public const int SlotSize = 16;

    public static bool IsFloat(VClass c) => c is VClass.F32 or VClass.F64 or VClass.V128;

    public static VClass ClassOf(ValType t) => t switch
    {
        NumValType { Type: NumType.I32 } => VClass.I32,
        NumValType { Type: NumType.I64 } => VClass.I64,
        NumValType { Type: NumType.F32 } => VClass.F32,
        NumValType { Type: NumType.F64 } => VClass.F64,
        VecValType => VClass.V128,
        _ => VClass.Ref,
    };

    /// <summary>Where each of <paramref name="types"/> travels, as parameters or as results.</summary>
    public static Placement[] Place(ImmutableArray<ValType> types, bool results)
    {
        var ints = results ? IntResults : IntArgs;
        var floats = results ? FloatResults : FloatArgs;
        int i = 0, f = 0, s = 0;
        var p = new Placement[types.Length];
        for (int k = 0; k < types.Length; k++)
        {
            var c = ClassOf(types[k]);
            if (IsFloat(c)) p[k] = f < floats.Length ? new(c, default, floats[f++], -1) : new(c, default, default, s++);
            else p[k] = i < ints.Length ? new(c, ints[i++], default, -1) : new(c, default, default, s++);
        }
        return p;
    }

    /// <summary>
    /// The stack slots every call reserves at least, whatever the callee takes: a function may tail-call any function
    /// that needs no more (return_call reuses the slots its caller reserved).
    /// </summary>
    public const int TailCallSlots = 8;

    /// <summary>How many stack slots a call of <paramref name="ft"/> needs for its parameters and results.</summary>
    public static int StackSlots(FuncType ft) =>
        Math.Max(Place(ft.Params, false).Count(p => p.OnStack), Place(ft.Results, true).Count(p => p.OnStack));

    /// <summary>A short key for a signature's shape: two functions with equal keys pass values alike.</summary>
    public static string Shape(FuncType ft) =>
        string.Concat(ft.Params.Select(t => Letter(ClassOf(t)))) + ":" + string.Concat(ft.Results.Select(t => Letter(ClassOf(t))));

    static char Letter(VClass c) => c switch
    {
        VClass.I32 => 'i', VClass.I64 => 'l', VClass.F32 => 'f', VClass.F64 => 'd', VClass.V128 => 'v', _ => 'r',
    };
}

/// <summary>Offsets of the fields of the native blocks that generated code reads and writes.</summary>
internal static class Layout
{
    static int Of<T>(string field) => (int)Marshal.OffsetOf<T>(field);

    public static readonly int StackLimit = Of<StoreCells>(nameof(StoreCells.StackLimit));
    public static readonly int Fuel = Of<StoreCells>(nameof(StoreCells.Fuel));
    public static readonly int DepthLeft = Of<StoreCells>(nameof(StoreCells.DepthLeft));
    public static readonly int Engine = Of<StoreCells>(nameof(StoreCells.Engine));

    public static readonly int EntryRsp = Of<JitContext>(nameof(JitContext.EntryRsp));
    public static readonly int EntryExit = Of<JitContext>(nameof(JitContext.EntryExit));
    public static readonly int HandlerTop = Of<JitContext>(nameof(JitContext.HandlerTop));
    public static readonly int HandlerEnd = Of<JitContext>(nameof(JitContext.HandlerEnd));
    public static readonly int LandRsp = Of<JitContext>(nameof(JitContext.LandRsp));
    public static readonly int LandRbp = Of<JitContext>(nameof(JitContext.LandRbp));
    public static readonly int LandPc = Of<JitContext>(nameof(JitContext.LandPc));
    public static readonly int LandClause = Of<JitContext>(nameof(JitContext.LandClause));

    public static readonly int CellEntry = Of<FuncCell>(nameof(FuncCell.Entry));
    public static readonly int CellTypeId = Of<FuncCell>(nameof(FuncCell.TypeId));

    public static readonly int HandlerRbp = Of<HandlerRecord>(nameof(HandlerRecord.Rbp));
    public static readonly int HandlerRsp = Of<HandlerRecord>(nameof(HandlerRecord.Rsp));
    public static readonly int HandlerLanding = Of<HandlerRecord>(nameof(HandlerRecord.Landing));
    public static readonly int HandlerDepth = Of<HandlerRecord>(nameof(HandlerRecord.DepthLeft));
    public static readonly int HandlerModule = Of<HandlerRecord>(nameof(HandlerRecord.Module));
    public static readonly int HandlerSite = Of<HandlerRecord>(nameof(HandlerRecord.Site));
    public static readonly int HandlerSize = Marshal.SizeOf<HandlerRecord>();

    /// <summary>A memory's or table's cell: [0] base address (or element array), [8] length in bytes (or size).</summary>
    public const int CellBase = 0, CellLength = 8;
}
