using System.Collections.Immutable;

namespace Spec.Syntax;

// §2.4 Instructions (spectec 1.3-syntax.instructions): one sealed record per production of instr.
// Indices are u32 (typeidx, funcidx, labelidx, ...); numeric operators are enums named as the spec's operators.

public abstract record Instr;

/// <summary>blocktype ::= _RESULT valtype? | _IDX typeidx</summary>
public abstract record BlockType;
public sealed record ValBlockType(ValType? Result) : BlockType
{
    public static readonly ValBlockType Empty = new((ValType?)null);
}
public sealed record IdxBlockType(uint TypeIdx) : BlockType;

/// <summary>memarg ::= {ALIGN u32, OFFSET u64}; ALIGN is the exponent of the alignment.</summary>
public readonly record struct MemArg(uint Align, ulong Offset);

/// <summary>expr ::= instr*</summary>
public sealed record Expr(ImmutableArray<Instr> Instrs)
{
    public static readonly Expr Empty = new(ImmutableArray<Instr>.Empty);
    public bool Equals(Expr? o) => o is not null && Sequences.Equal(Instrs, o.Instrs);
    public override int GetHashCode() => Sequences.Hash(Instrs);
}

// ---- Parametric instructions ----

public sealed record Nop : Instr { public static readonly Nop I = new(); }
public sealed record Unreachable : Instr { public static readonly Unreachable I = new(); }
public sealed record Drop : Instr { public static readonly Drop I = new(); }

/// <summary>SELECT (valtype*)? — the types are present only for the typed form.</summary>
public sealed record Select(ImmutableArray<ValType>? Types) : Instr
{
    public bool Equals(Select? o) => o is not null && Sequences.Equal(Types, o.Types);
    public override int GetHashCode() => Sequences.Hash(Types);
}

// ---- Block instructions ----

public sealed record Block(BlockType Type, ImmutableArray<Instr> Body) : Instr
{
    public bool Equals(Block? o) => o is not null && InstrTrees.Equal(this, o);
    public override int GetHashCode() => InstrTrees.Hash(this);
}

public sealed record Loop(BlockType Type, ImmutableArray<Instr> Body) : Instr
{
    public bool Equals(Loop? o) => o is not null && InstrTrees.Equal(this, o);
    public override int GetHashCode() => InstrTrees.Hash(this);
}

public sealed record If(BlockType Type, ImmutableArray<Instr> Then, ImmutableArray<Instr> Else) : Instr
{
    public bool Equals(If? o) => o is not null && InstrTrees.Equal(this, o);
    public override int GetHashCode() => InstrTrees.Hash(this);
}

// ---- Branch instructions ----

public sealed record Br(uint Label) : Instr;
public sealed record BrIf(uint Label) : Instr;

public sealed record BrTable(ImmutableArray<uint> Labels, uint Default) : Instr
{
    public bool Equals(BrTable? o) => o is not null && Default == o.Default && Sequences.Equal(Labels, o.Labels);
    public override int GetHashCode() => HashCode.Combine(Default, Sequences.Hash(Labels));
}

public sealed record BrOnNull(uint Label) : Instr;
public sealed record BrOnNonNull(uint Label) : Instr;
public sealed record BrOnCast(uint Label, RefType From, RefType To) : Instr;
public sealed record BrOnCastFail(uint Label, RefType From, RefType To) : Instr;
// Custom descriptors proposal: casts that compare the operand's descriptor with a given one.
public sealed record BrOnCastDescEq(uint Label, RefType From, RefType To) : Instr;
public sealed record BrOnCastDescEqFail(uint Label, RefType From, RefType To) : Instr;

// ---- Function instructions ----

public sealed record Call(uint Func) : Instr;
public sealed record CallRef(uint TypeIdx) : Instr;
public sealed record CallIndirect(uint Table, uint TypeIdx) : Instr;
public sealed record Return : Instr { public static readonly Return I = new(); }
public sealed record ReturnCall(uint Func) : Instr;
public sealed record ReturnCallRef(uint TypeIdx) : Instr;
public sealed record ReturnCallIndirect(uint Table, uint TypeIdx) : Instr;

// ---- Exception instructions ----

public sealed record Throw(uint Tag) : Instr;
public sealed record ThrowRef : Instr { public static readonly ThrowRef I = new(); }

public sealed record TryTable(BlockType Type, ImmutableArray<Catch> Catches, ImmutableArray<Instr> Body) : Instr
{
    public bool Equals(TryTable? o) => o is not null && InstrTrees.Equal(this, o);
    public override int GetHashCode() => InstrTrees.Hash(this);
}

/// <summary>catch ::= CATCH tagidx labelidx | CATCH_REF tagidx labelidx | CATCH_ALL labelidx | CATCH_ALL_REF labelidx</summary>
public abstract record Catch(uint Label);
public sealed record CatchTag(uint Tag, uint Label) : Catch(Label);
public sealed record CatchTagRef(uint Tag, uint Label) : Catch(Label);
public sealed record CatchAll(uint Label) : Catch(Label);
public sealed record CatchAllRef(uint Label) : Catch(Label);

// Legacy exception handling (testsuite legacy/): try/catch/catch_all, try/delegate, rethrow.

public sealed record LegacyCatch(uint Tag, ImmutableArray<Instr> Body)
{
    public bool Equals(LegacyCatch? o) => o is not null && Tag == o.Tag && Sequences.Equal(Body, o.Body);
    public override int GetHashCode() => HashCode.Combine(Tag, Sequences.Hash(Body));
}

public sealed record LegacyTry(BlockType Type, ImmutableArray<Instr> Body, ImmutableArray<LegacyCatch> Catches, ImmutableArray<Instr>? CatchAll) : Instr
{
    public bool Equals(LegacyTry? o) => o is not null && InstrTrees.Equal(this, o);
    public override int GetHashCode() => InstrTrees.Hash(this);
}

public sealed record LegacyTryDelegate(BlockType Type, ImmutableArray<Instr> Body, uint Label) : Instr
{
    public bool Equals(LegacyTryDelegate? o) => o is not null && InstrTrees.Equal(this, o);
    public override int GetHashCode() => InstrTrees.Hash(this);
}

public sealed record LegacyRethrow(uint Label) : Instr;

// ---- Variable instructions ----

public sealed record LocalGet(uint Local) : Instr;
public sealed record LocalSet(uint Local) : Instr;
public sealed record LocalTee(uint Local) : Instr;
public sealed record GlobalGet(uint Global) : Instr;
public sealed record GlobalSet(uint Global) : Instr;

// ---- Table instructions ----

public sealed record TableGet(uint Table) : Instr;
public sealed record TableSet(uint Table) : Instr;
public sealed record TableSize(uint Table) : Instr;
public sealed record TableGrow(uint Table) : Instr;
public sealed record TableFill(uint Table) : Instr;
public sealed record TableCopy(uint Dst, uint Src) : Instr;
public sealed record TableInit(uint Table, uint Elem) : Instr;
public sealed record ElemDrop(uint Elem) : Instr;

// ---- Memory instructions ----

/// <summary>loadop_(Inn) ::= sz _ sx (a packed integer load).</summary>
public readonly record struct LoadOp(Sz Size, Sx Sx);

/// <summary>LOAD numtype loadop? memidx memarg</summary>
public sealed record Load(NumType Type, LoadOp? Op, uint Mem, MemArg Arg) : Instr;

/// <summary>STORE numtype storeop? memidx memarg; storeop_(Inn) ::= sz</summary>
public sealed record Store(NumType Type, Sz? Size, uint Mem, MemArg Arg) : Instr;

/// <summary>vloadop ::= SHAPE sz X M _ sx | SPLAT sz | ZERO sz</summary>
public abstract record VLoadOp;
public sealed record VLoadShape(Sz Size, int Lanes, Sx Sx) : VLoadOp;
public sealed record VLoadSplat(Sz Size) : VLoadOp;
public sealed record VLoadZero(Sz Size) : VLoadOp;

public sealed record VLoad(VecType Type, VLoadOp? Op, uint Mem, MemArg Arg) : Instr;
public sealed record VLoadLane(VecType Type, Sz Size, uint Mem, MemArg Arg, byte Lane) : Instr;
public sealed record VStore(VecType Type, uint Mem, MemArg Arg) : Instr;
public sealed record VStoreLane(VecType Type, Sz Size, uint Mem, MemArg Arg, byte Lane) : Instr;

public sealed record MemorySize(uint Mem) : Instr;
public sealed record MemoryGrow(uint Mem) : Instr;
public sealed record MemoryFill(uint Mem) : Instr;
public sealed record MemoryCopy(uint Dst, uint Src) : Instr;
public sealed record MemoryInit(uint Mem, uint Data) : Instr;
public sealed record DataDrop(uint Data) : Instr;

// ---- Reference instructions ----

public sealed record RefNull(HeapType Type) : Instr;
public sealed record RefIsNull : Instr { public static readonly RefIsNull I = new(); }
public sealed record RefAsNonNull : Instr { public static readonly RefAsNonNull I = new(); }
public sealed record RefEq : Instr { public static readonly RefEq I = new(); }
public sealed record RefTest(RefType Type) : Instr;
public sealed record RefCast(RefType Type) : Instr;
public sealed record RefCastDescEq(RefType Type) : Instr;  // custom descriptors proposal
public sealed record RefGetDesc(uint TypeIdx) : Instr;     // custom descriptors proposal
public sealed record RefFunc(uint Func) : Instr;
public sealed record RefI31 : Instr { public static readonly RefI31 I = new(); }
public sealed record I31Get(Sx Sx) : Instr;

public sealed record StructNew(uint TypeIdx) : Instr;
public sealed record StructNewDefault(uint TypeIdx) : Instr;
// Custom descriptors proposal: allocation of a type with a descriptor clause, the descriptor last.
public sealed record StructNewDesc(uint TypeIdx) : Instr;
public sealed record StructNewDefaultDesc(uint TypeIdx) : Instr;
public sealed record StructGet(Sx? Sx, uint TypeIdx, uint Field) : Instr;
public sealed record StructSet(uint TypeIdx, uint Field) : Instr;

public sealed record ArrayNew(uint TypeIdx) : Instr;
public sealed record ArrayNewDefault(uint TypeIdx) : Instr;
public sealed record ArrayNewFixed(uint TypeIdx, uint Length) : Instr;
public sealed record ArrayNewData(uint TypeIdx, uint Data) : Instr;
public sealed record ArrayNewElem(uint TypeIdx, uint Elem) : Instr;
public sealed record ArrayGet(Sx? Sx, uint TypeIdx) : Instr;
public sealed record ArraySet(uint TypeIdx) : Instr;
public sealed record ArrayLen : Instr { public static readonly ArrayLen I = new(); }
public sealed record ArrayFill(uint TypeIdx) : Instr;
public sealed record ArrayCopy(uint Dst, uint Src) : Instr;
public sealed record ArrayInitData(uint TypeIdx, uint Data) : Instr;
public sealed record ArrayInitElem(uint TypeIdx, uint Elem) : Instr;

public sealed record ExternConvertAny : Instr { public static readonly ExternConvertAny I = new(); }
public sealed record AnyConvertExtern : Instr { public static readonly AnyConvertExtern I = new(); }

// ---- The threads proposal (not part of Wasm 3.0): atomic memory accesses, wait/notify and fence ----

/// <summary>The atomic access kinds; their order is the binary opcode order (0xFE 0x10 + 7 * kind + variant).</summary>
public enum AtomicOp : byte { Load, Store, Add, Sub, And, Or, Xor, Xchg, Cmpxchg }

/// <summary>numtype.atomic.(load|store|rmw.op|rmw.cmpxchg) with an optional packed size (always zero-extended); threads proposal.</summary>
public sealed record Atomic(NumType Type, Sz? Size, AtomicOp Op, uint Mem, MemArg Arg) : Instr;

/// <summary>memory.atomic.notify memidx memarg: [addr i32] -> [i32] (threads proposal).</summary>
public sealed record MemoryAtomicNotify(uint Mem, MemArg Arg) : Instr;

/// <summary>memory.atomic.wait32|wait64 memidx memarg: [addr numtype i64] -> [i32] (threads proposal).</summary>
public sealed record MemoryAtomicWait(NumType Type, uint Mem, MemArg Arg) : Instr;

/// <summary>atomic.fence (threads proposal).</summary>
public sealed record AtomicFence : Instr { public static readonly AtomicFence I = new(); }
