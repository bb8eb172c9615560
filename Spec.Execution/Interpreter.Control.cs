using Spec.Syntax;
using static Spec.Execution.Compiled;

namespace Spec.Execution;

// §4.4.8-4.4.9 Control and exception instructions (spectec 4.3-execution.instructions, "Control").

public sealed partial class Interpreter
{
    // ---- Calls ----

    string Call(FuncInst f, string rule)
    {
        if (f.Host is not null) { CallHost(f); pc++; return rule; }
        Enter(f, f.Body ??= Compile(f));
        return rule;
    }

    // Step_read/call
    string StepCall(in Inst i) => Call((FuncInst)i.O!, "Step_read/call");

    string StepCallRef(in Inst i)
    {
        if (Pop().Ref is not FuncInst f) throw Trap("null function reference", "Step_read/call_ref-null");
        return Call(f, "Step_read/call_ref-func");
    }

    /// <summary>table.get, then ref.cast to the expected type: the callee, or the trap that says why not
    /// (named by the rule of the instruction it reduces to: table.get, ref.cast, then call_ref or return_call_ref).</summary>
    FuncInst Indirect(in Inst i, string nullRule)
    {
        var table = (TableInst)i.O!;
        var k = PopAddr(table.Type.AddrType);
        if (k >= table.Size) throw Trap("undefined element", "Step_read/table.get-oob");
        var r = table.Elems[k];
        if (r is null) throw Trap($"uninitialized element {k}", nullRule);
        if (r is not FuncInst f || !Types.DefSub(f.Type, module.Types[i.C])) throw Trap("indirect call type mismatch", "Step_read/ref.cast-fail");
        return f;
    }

    // Step_pure/call_indirect
    string StepCallIndirect(in Inst i) => Call(Indirect(i, "Step_read/call_ref-null"), "Step_pure/call_indirect");

    string StepReturnCall(in Inst i)
    {
        Replace((FuncInst)i.O!);
        return "Step_read/return_call";
    }

    string StepReturnCallRef(in Inst i)
    {
        if (Pop().Ref is not FuncInst f) throw Trap("null function reference", "Step_read/return_call_ref-frame-null");
        Replace(f);
        return "Step_read/return_call_ref-frame-addr";
    }

    string StepReturnCallIndirect(in Inst i)
    {
        Replace(Indirect(i, "Step_read/return_call_ref-frame-null"));
        return "Step_pure/return_call_indirect";
    }

    // ---- Branches on references ----

    string StepBrOnNull(in Inst i)
    {
        if (stack[sp - 1].Ref is null) { sp--; pending = Admin.Br; pendingLabel = i.A; return "Step_pure/br_on_null-null"; }
        pc++;
        return "Step_pure/br_on_null-addr";
    }

    string StepBrOnNonNull(in Inst i)
    {
        if (stack[sp - 1].Ref is null) { sp--; pc++; return "Step_pure/br_on_non_null-null"; }
        pending = Admin.Br; pendingLabel = i.A;
        return "Step_pure/br_on_non_null-addr";
    }

    string StepBrOnCast(in Inst i, bool fail)
    {
        var matches = Types.RefMatches(stack[sp - 1].Ref, (RefType)i.O!);
        if (matches != fail) { pending = Admin.Br; pendingLabel = i.A; }
        else pc++;
        return (fail, matches) switch
        {
            (false, true) => "Step_read/br_on_cast-succeed",
            (false, false) => "Step_read/br_on_cast-fail",
            (true, true) => "Step_read/br_on_cast_fail-succeed",
            _ => "Step_read/br_on_cast_fail-fail",
        };
    }

    /// <summary>br_on_cast_desc_eq(_fail): the cast succeeds when the reference's descriptor is the given one (or it is a null admitted by the target).</summary>
    string StepBrOnCastDescEq(in Inst i, bool fail)
    {
        var desc = Pop().Ref
            ?? throw Trap(NullDescriptor, fail ? "Step_read/br_on_cast_desc_eq_fail-null" : "Step_read/br_on_cast_desc_eq-null");
        var r = stack[sp - 1].Ref;
        var matches = r is null ? ((RefType)i.O!).Null : HasDescriptor(r, desc);
        if (matches != fail) { pending = Admin.Br; pendingLabel = i.A; }
        else pc++;
        return (fail, matches) switch
        {
            (false, true) => "Step_read/br_on_cast_desc_eq-succeed",
            (false, false) => "Step_read/br_on_cast_desc_eq-fail",
            (true, true) => "Step_read/br_on_cast_desc_eq_fail-succeed",
            _ => "Step_read/br_on_cast_desc_eq_fail-fail",
        };
    }

    // ---- Exceptions ----

    string StepThrow(in Inst i)
    {
        var tag = (TagInst)i.O!;
        int n = tag.FuncType.Params.Length;
        var fields = stack.AsSpan(sp - n, n).ToArray();
        sp -= n;
        pending = Admin.ThrowRef;
        pendingExn = new ExnInst(tag, fields);
        return "Step/throw";
    }

    string StepThrowRef()
    {
        if (Pop().Ref is not ExnInst exn) throw Trap("null exception reference", "Step_read/throw_ref-null");
        pending = Admin.ThrowRef;
        pendingExn = exn;
        return StepThrowing(exn);
    }

    // Step_read/try_table: HANDLER_n{catch*} (LABEL_n{} instr*), so catch labels count from outside the block
    string StepTryTable(in Inst i)
    {
        PushContext(Ctx.Handler, i.B, 0, sp - i.A, i.O);
        PushContext(Ctx.Label, i.B, (int)i.C + 1, sp - i.A);
        pc++;
        return "Step_read/try_table";
    }

    /// <summary>(REF.EXN_ADDR a) THROW_REF meets the innermost context.</summary>
    string StepThrowing(ExnInst exn)
    {
        if (lsp > labelBase)
        {
            ref var top = ref labels[lsp - 1];
            switch (top.Kind)
            {
                case Ctx.Label:
                    lsp--;
                    return "Step_read/throw_ref-label";
                case Ctx.Handler:
                {
                    var h = (Handler)top.Extra!;
                    int height = top.Height;
                    lsp--;
                    for (int k = 0; k < h.Catches.Length; k++)
                    {
                        var c = h.Catches[k];
                        if (c is CatchTag or CatchTagRef && !ReferenceEquals(h.Tags[k], exn.Tag)) continue;
                        sp = height;
                        if (c is CatchTag or CatchTagRef) foreach (var v in exn.Fields) Push(v);
                        if (c is CatchTagRef or CatchAllRef) Push(Value.Reference(exn));
                        pending = Admin.Br;
                        pendingLabel = (int)c.Label;
                        return c switch
                        {
                            CatchTag => "Step_read/throw_ref-handler-catch",
                            CatchTagRef => "Step_read/throw_ref-handler-catch_ref",
                            CatchAll => "Step_read/throw_ref-handler-catch_all",
                            _ => "Step_read/throw_ref-handler-catch_all_ref",
                        };
                    }
                    return "Step_read/throw_ref-handler-empty";
                }
                case Ctx.LegacyHandler:
                {
                    var h = (LegacyCatches)top.Extra!;
                    lsp--;
                    foreach (var (tag, start) in h.Clauses)
                    {
                        if (tag is not null && !ReferenceEquals(tag, exn.Tag)) continue;
                        ref var label = ref labels[lsp - 1];
                        label.Extra = exn; // for rethrow
                        sp = label.Height;
                        if (tag is not null) foreach (var v in exn.Fields) Push(v);
                        pc = start;
                        pending = Admin.None;
                        return tag is null ? "Legacy/catch_all" : "Legacy/catch";
                    }
                    return "Legacy/catch-none";
                }
                default: // Ctx.Delegate: rethrow from the label the delegate names, skipping the contexts in between
                {
                    int depth = top.Arity;
                    lsp -= 2;
                    while (depth > 0) { if (labels[lsp - 1].Kind == Ctx.Label) depth--; lsp--; }
                    return "Legacy/delegate";
                }
            }
        }
        // Step_read/throw_ref-frame; with no frame left, the exception is the configuration's result
        if (fsp == 0) { pending = Admin.None; throw new UncaughtWasmException(exn); }
        lsp = labelBase;
        sp = fp;
        fsp--;
        if (fsp == 0) { pending = Admin.None; throw new UncaughtWasmException(exn); }
        Load(fsp - 1);
        return "Step_read/throw_ref-frame";
    }

    // Legacy try ... catch: LABEL_n{} (legacy handler) instr*
    string StepLegacyTry(in Inst i)
    {
        PushContext(Ctx.Label, i.B, code[(int)i.C].A, sp - i.A);
        PushContext(Ctx.LegacyHandler, i.B, 0, sp - i.A, i.O);
        pc++;
        return "Legacy/try";
    }

    string StepLegacyTryDelegate(in Inst i)
    {
        PushContext(Ctx.Label, i.B, (int)i.C + 1, sp - i.A);
        PushContext(Ctx.Delegate, (int)((LegacyTryDelegate)i.I!).Label, 0, sp - i.A);
        pc++;
        return "Legacy/try-delegate";
    }

    // rethrow l: throws again the exception caught by the catch clause of label l
    string StepLegacyRethrow(in Inst i)
    {
        int depth = i.A, k = lsp - 1;
        while (true)
        {
            if (labels[k].Kind == Ctx.Label) { if (depth == 0) break; depth--; }
            k--;
        }
        var exn = (ExnInst)labels[k].Extra!;
        pending = Admin.ThrowRef;
        pendingExn = exn;
        return "Legacy/rethrow";
    }
}
