using Spec.Syntax;

namespace Spec.Validation;

// §3.4.4 Variable instructions (spectec 2.3, "Variable instructions").

internal sealed partial class Checker
{
    // Instr_ok/local.get: eps -> t, the local being SET
    void LocalGet_ok(LocalGet i)
    {
        Rule("Instr_ok/local.get");
        ref var local = ref C.Local(i.Local);
        if (!local.Set) Fail($"uninitialized local {i.Local}");
        Push(local.Type);
    }

    // Instr_ok/local.set: t ->_(x) eps
    void LocalSet_ok(LocalSet i)
    {
        Rule("Instr_ok/local.set");
        Pop(C.Local(i.Local).Type);
        InitLocal(i.Local);
    }

    // Instr_ok/local.tee: t ->_(x) t
    void LocalTee_ok(LocalTee i)
    {
        Rule("Instr_ok/local.tee");
        var t = C.Local(i.Local).Type;
        Pop(t);
        InitLocal(i.Local);
        Push(t);
    }

    // Instr_ok/global.get: eps -> t
    void GlobalGet_ok(GlobalGet i)
    {
        Rule("Instr_ok/global.get");
        Push(C.Global(i.Global).Type);
    }

    // Instr_ok/global.set: t -> eps, the global being MUT
    void GlobalSet_ok(GlobalSet i)
    {
        Rule("Instr_ok/global.set");
        var gt = C.Global(i.Global);
        if (gt.Mut != Mut.Var) Fail($"immutable global {i.Global}");
        Pop(gt.Type);
    }
}
