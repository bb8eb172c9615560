using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// §4.4.2 Parametric instructions (drop, select, nop, unreachable) and §4.4.5 variable instructions (local.*,
// global.*). A local is read lazily: local.get pushes "the current value of local k", which costs nothing until it
// is used or the local changes. A pinned local's register is its value (Where.Reg), its home is (Where.Mem), or both.
// Numeric globals are read and written in their cells; an immutable global is a constant of this instance.

internal sealed partial class FunctionCompiler
{
    void Drop()
    {
        var e = Pop();
        Release(e);
    }

    /// <summary>Step_pure/select-true, select-false: a conditional move (a branch for floats).</summary>
    void Select()
    {
        var c = Pop();
        var v2 = Pop();
        var v1 = Pop();
        if (c.Kind == Kind.Const)
        {
            if (c.Bits == 0) { Release(v1); Push(v2); } else { Release(v2); Push(v1); }
            return;
        }
        if (v1.IsFloat)
        {
            var dst = OwnXmm(v1);
            var src = ReadXmm(v2);
            var cond = FlagsOf(c);
            var skip = a.NewLabel();
            a.Jcc(cond, skip);
            a.Sse(SseOp.Movdqa, dst, src);
            a.Bind(skip);
            ReleaseRead(v2, src);
            Release(v2);
            PushXmm(v1.Class, dst);
        }
        else
        {
            var dst = OwnGpr(v1);
            var src = ReadGpr(v2);
            var cond = FlagsOf(c);
            a.Cmov(cond.Negate(), Width.W64, dst, src);
            ReleaseRead(v2, src);
            Release(v2);
            PushGpr(v1.Class, dst);
        }
    }

    /// <summary>Sets the flags from a popped i32 condition (unless it already is one) and returns when it is true.</summary>
    Cond FlagsOf(in Entry c)
    {
        if (c.Kind == Kind.Flags) return c.Cond;
        if (MemoryOf(c) is { } m) a.Alu(AluOp.Cmp, Width.W32, m, 0);
        else
        {
            var r = ReadGpr(c);
            a.Test(Width.W32, r, r);
            ReleaseRead(c, r);
        }
        Release(c);
        return Cond.NE;
    }

    void Unreachable()
    {
        a.Jmp(TrapLabel(TrapCode.Unreachable));
        unreachable = true;
    }

    // ---- Locals ----

    /// <summary>Step_read/local.get</summary>
    void LocalGet(uint x)
    {
        int k = (int)x;
        if (localReg[k] >= 0 && localWhere[k] == Where.Mem)
        {
            LoadLocalRegister(k);
            localWhere[k] = Where.Both;
        }
        Push(Entry.OfLocal(localClass[k], k));
    }

    /// <summary>Step/local.set</summary>
    void LocalSet(uint x)
    {
        int k = (int)x;
        var v = Pop();
        if (v.Kind == Kind.Local && v.Local == k) return;
        MaterializeLocal(k);
        if (localReg[k] >= 0)
        {
            if (Abi.IsFloat(localClass[k])) LoadXmm((Xmm)localReg[k], v);
            else LoadGpr((Reg)localReg[k], v);
            localWhere[k] = Where.Reg;
        }
        else StoreEntry(Home(k), v);
        Release(v);
    }

    /// <summary>Step_pure/local.tee: the value is set and stays, as the local's current value.</summary>
    void LocalTee(uint x)
    {
        MaterializeFlags();
        LocalSet(x);
        Push(Entry.OfLocal(localClass[(int)x], (int)x));
    }

    // ---- Globals ----

    /// <summary>Step_read/global.get</summary>
    unsafe void GlobalGet(uint x)
    {
        var g = mc.Instance.Globals[(int)x];
        var cls = Abi.ClassOf(g.Type.Type);
        if (cls == VClass.Ref) { GlobalRef(x, get: true); return; }
        if (g.Type.Mut == Mut.Const)
        {
            var v = g.Value;
            Push(Entry.Constant(cls, v.Bits, v.Hi));
            return;
        }
        a.MovImm(Scratch, (ulong)g.Cell);
        if (Abi.IsFloat(cls))
        {
            var d = AllocXmm();
            LoadXmmFrom(d, cls, Mem.At(Scratch));
            PushXmm(cls, d);
        }
        else
        {
            var d = AllocGpr();
            a.Mov(WidthOf(cls), d, Mem.At(Scratch));
            PushGpr(cls, d);
        }
    }

    /// <summary>Step/global.set</summary>
    unsafe void GlobalSet(uint x)
    {
        var g = mc.Instance.Globals[(int)x];
        var cls = Abi.ClassOf(g.Type.Type);
        if (cls == VClass.Ref) { GlobalRef(x, get: false); return; }
        var v = Pop();
        if (Abi.IsFloat(cls))
        {
            var r = ReadXmm(v);
            a.MovImm(Scratch, (ulong)g.Cell);
            StoreXmmTo(Mem.At(Scratch), cls, r);
            ReleaseRead(v, r);
        }
        else if (FitsImm32(v))
        {
            a.MovImm(Scratch, (ulong)g.Cell);
            a.Mov(WidthOf(cls), Mem.At(Scratch), (int)v.Bits);
        }
        else
        {
            var r = ReadGpr(v);
            a.MovImm(Scratch, (ulong)g.Cell);
            a.Mov(WidthOf(cls), Mem.At(Scratch), r);
            ReleaseRead(v, r);
        }
        Release(v);
    }
}
