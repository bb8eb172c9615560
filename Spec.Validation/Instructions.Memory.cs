using Spec.Syntax;

namespace Spec.Validation;

// §3.4.6 Memory instructions (spectec 2.3, "Memory instructions"), including the vector loads and stores.

internal sealed partial class Checker
{
    // Memarg_ok: 2^align <= N/8, and the offset fits the address type.
    void Memarg_ok(MemArg arg, AddrType at, int n)
    {
        if (arg.Align >= 32 || (1UL << (int)arg.Align) > (ulong)(n / 8)) Fail("alignment must not be larger than natural");
        if (at == AddrType.I32 && arg.Offset > uint.MaxValue) Fail("offset out of range");
    }

    // Instr_ok/load-val: at -> nt; Instr_ok/load-pack: at -> Inn
    void Load_ok(Load i)
    {
        Rule(i.Op is null ? "Instr_ok/load-val" : "Instr_ok/load-pack");
        var at = C.Mem(i.Mem).AddrType;
        if (i.Op is { } op && (!IsInt(i.Type) || (int)op.Size >= Size(i.Type))) Fail("invalid load operator");
        Memarg_ok(i.Arg, at, i.Op is { } p ? (int)p.Size : Size(i.Type));
        Pop(ValType.Of(at));
        Push(ValType.Num(i.Type));
    }

    // Instr_ok/store-val: at nt -> eps; Instr_ok/store-pack: at Inn -> eps
    void Store_ok(Store i)
    {
        Rule(i.Size is null ? "Instr_ok/store-val" : "Instr_ok/store-pack");
        var at = C.Mem(i.Mem).AddrType;
        if (i.Size is { } sz && (!IsInt(i.Type) || (int)sz >= Size(i.Type))) Fail("invalid store operator");
        Memarg_ok(i.Arg, at, i.Size is { } s ? (int)s : Size(i.Type));
        Pop(ValType.Num(i.Type));
        Pop(ValType.Of(at));
    }

    // The threads proposal (not Wasm 3.0; no SpecTec rules, the names follow the spec's convention).
    // An atomic access's alignment must be exactly natural; the memory may be shared or not.
    void AtomicMemarg_ok(MemArg arg, AddrType at, int n)
    {
        if (arg.Align >= 32 || (1UL << (int)arg.Align) != (ulong)(n / 8)) Fail("atomic alignment must be natural");
        if (at == AddrType.I32 && arg.Offset > uint.MaxValue) Fail("offset out of range");
    }

    // Instr_ok/atomic-load: at -> Inn; atomic-store: at Inn -> eps; atomic-rmw: at Inn -> Inn; atomic-cmpxchg: at Inn Inn -> Inn
    void Atomic_ok(Atomic i)
    {
        Rule(i.Op switch { AtomicOp.Load => "Instr_ok/atomic-load", AtomicOp.Store => "Instr_ok/atomic-store", AtomicOp.Cmpxchg => "Instr_ok/atomic-cmpxchg", _ => "Instr_ok/atomic-rmw" });
        var at = C.Mem(i.Mem).AddrType;
        if (!IsInt(i.Type) || i.Size is { } sz && (int)sz >= Size(i.Type)) Fail("invalid atomic operator");
        AtomicMemarg_ok(i.Arg, at, i.Size is { } s ? (int)s : Size(i.Type));
        var t = ValType.Num(i.Type);
        if (i.Op == AtomicOp.Cmpxchg) Pop(t);
        if (i.Op != AtomicOp.Load) Pop(t);
        Pop(ValType.Of(at));
        if (i.Op != AtomicOp.Store) Push(t);
    }

    // Instr_ok/memory.atomic.notify: at i32 -> i32
    void MemoryAtomicNotify_ok(MemoryAtomicNotify i)
    {
        Rule("Instr_ok/memory.atomic.notify");
        var at = C.Mem(i.Mem).AddrType;
        AtomicMemarg_ok(i.Arg, at, 32);
        Pop(ValType.I32);
        Pop(ValType.Of(at));
        Push(ValType.I32);
    }

    // Instr_ok/memory.atomic.wait: at Inn i64 -> i32
    void MemoryAtomicWait_ok(MemoryAtomicWait i)
    {
        Rule("Instr_ok/memory.atomic.wait");
        var at = C.Mem(i.Mem).AddrType;
        AtomicMemarg_ok(i.Arg, at, Size(i.Type));
        Pop(ValType.I64);
        Pop(ValType.Num(i.Type));
        Pop(ValType.Of(at));
        Push(ValType.I32);
    }

    // Instr_ok/vload-val, vload-pack (SHAPE M X K), vload-splat, vload-zero: at -> v128
    void VLoad_ok(VLoad i)
    {
        var (rule, n) = i.Op switch
        {
            null => ("Instr_ok/vload-val", 128),
            VLoadShape s => ("Instr_ok/vload-pack", (int)s.Size * s.Lanes),
            VLoadSplat s => ("Instr_ok/vload-splat", (int)s.Size),
            VLoadZero z => ("Instr_ok/vload-zero", (int)z.Size),
            _ => ("Instr_ok/vload-val", 128),
        };
        Rule(rule);
        var at = C.Mem(i.Mem).AddrType;
        Memarg_ok(i.Arg, at, n);
        Pop(ValType.Of(at));
        Push(ValType.V128);
    }

    // Instr_ok/vload_lane: at v128 -> v128, i < 128/N
    void VLoadLane_ok(VLoadLane i)
    {
        Rule("Instr_ok/vload_lane");
        var at = C.Mem(i.Mem).AddrType;
        Memarg_ok(i.Arg, at, (int)i.Size);
        if (i.Lane >= 128 / (int)i.Size) Fail("invalid lane index");
        Pop(ValType.V128);
        Pop(ValType.Of(at));
        Push(ValType.V128);
    }

    // Instr_ok/vstore: at v128 -> eps
    void VStore_ok(VStore i)
    {
        Rule("Instr_ok/vstore");
        var at = C.Mem(i.Mem).AddrType;
        Memarg_ok(i.Arg, at, 128);
        Pop(ValType.V128);
        Pop(ValType.Of(at));
    }

    // Instr_ok/vstore_lane: at v128 -> eps, i < 128/N
    void VStoreLane_ok(VStoreLane i)
    {
        Rule("Instr_ok/vstore_lane");
        var at = C.Mem(i.Mem).AddrType;
        Memarg_ok(i.Arg, at, (int)i.Size);
        if (i.Lane >= 128 / (int)i.Size) Fail("invalid lane index");
        Pop(ValType.V128);
        Pop(ValType.Of(at));
    }

    // Instr_ok/memory.size: eps -> at
    void MemorySize_ok(MemorySize i)
    {
        Rule("Instr_ok/memory.size");
        Push(ValType.Of(C.Mem(i.Mem).AddrType));
    }

    // Instr_ok/memory.grow: at -> at
    void MemoryGrow_ok(MemoryGrow i)
    {
        Rule("Instr_ok/memory.grow");
        var at = ValType.Of(C.Mem(i.Mem).AddrType);
        Pop(at);
        Push(at);
    }

    // Instr_ok/memory.fill: at i32 at -> eps
    void MemoryFill_ok(MemoryFill i)
    {
        Rule("Instr_ok/memory.fill");
        var at = ValType.Of(C.Mem(i.Mem).AddrType);
        Pop(at);
        Pop(ValType.I32);
        Pop(at);
    }

    // Instr_ok/memory.copy: at_1 at_2 $minat(at_1, at_2) -> eps
    void MemoryCopy_ok(MemoryCopy i)
    {
        Rule("Instr_ok/memory.copy");
        var at1 = C.Mem(i.Dst).AddrType;
        var at2 = C.Mem(i.Src).AddrType;
        Pop(ValType.Of(MinAt(at1, at2)));
        Pop(ValType.Of(at2));
        Pop(ValType.Of(at1));
    }

    // Instr_ok/memory.init: at i32 i32 -> eps, C.DATAS[y] = OK
    void MemoryInit_ok(MemoryInit i)
    {
        Rule("Instr_ok/memory.init");
        var at = C.Mem(i.Mem).AddrType;
        C.Data(i.Data);
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(ValType.Of(at));
    }

    // Instr_ok/data.drop: eps -> eps, C.DATAS[x] = OK
    void DataDrop_ok(DataDrop i)
    {
        Rule("Instr_ok/data.drop");
        C.Data(i.Data);
    }
}
