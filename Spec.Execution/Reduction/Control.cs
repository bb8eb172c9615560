using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// §4.4.8-4.4.9 Control and exception instructions (spectec 4.3-execution.instructions, "Control").

public sealed partial class Interpreter
{
    // ---- Calls ----

    // Step_read/call: (REF.FUNC_ADDR a) (CALL_REF yy)
    string StepCall(in Inst i)
    {
        Push(Value.Reference((FuncInst)i.O!));
        pending = Admin.CallRef;
        pendingIndirect = false;
        return "Step_read/call";
    }

    // Step_read/return_call: (REF.FUNC_ADDR a) (RETURN_CALL_REF yy)
    string StepReturnCall(in Inst i)
    {
        Push(Value.Reference((FuncInst)i.O!));
        pending = Admin.ReturnCallRef;
        pendingIndirect = false;
        return "Step_read/return_call";
    }

    /// <summary>(REF.FUNC_ADDR a) (CALL_REF yy) or (REF.NULL_ADDR) (CALL_REF yy): the reference is on the operand stack.</summary>
    string StepCallRef()
    {
        pending = Admin.None;
        if (Pop().Ref is not FuncInst f)
            throw NullCallee("Step_read/call_ref-null");
        // Step_read/call_ref-func
        if (f.Host is not null) { CallHost(f); pc++; }
        else Enter(f, BodyOf(f));
        return "Step_read/call_ref-func";
    }

    /// <summary>RETURN_CALL_REF meets the innermost context: labels and handlers are left one at a time, then the frame.</summary>
    string StepReturnCallRef()
    {
        if (lsp > labelBase)
            return labels[--lsp].Kind == Ctx.Label ? "Step_read/return_call_ref-label" : "Step_read/return_call_ref-handler";
        if (stack[sp - 1].Ref is not FuncInst f)
        {
            // the frame is replaced by TRAP: the trap goes on from the caller
            var e = NullCallee("Step_read/return_call_ref-frame-null");
            e.Frames = Backtrace();
            pending = Admin.None;
            sp = fp;
            fsp--;
            if (fsp > 0) { Load(fsp - 1); pc--; }
            throw e;
        }
        DropFrameForTailCall(f);
        pending = Admin.CallRef;
        return "Step_read/return_call_ref-frame-addr";
    }

    /// <summary>Why a null callee traps: call_indirect found no function at its table entry; call_ref was given null.</summary>
    TrapException NullCallee(string rule) =>
        pendingIndirect ? Trap(TrapCode.UninitializedElement, rule, pendingElem.ToString()) : Trap(TrapCode.NullFunctionReference, rule);

    // Step_pure/call_indirect, Step_pure/return_call_indirect: (TABLE.GET x) (REF.CAST (REF NULL yy)) (CALL_REF yy)
    string StepCallIndirect(bool tail)
    {
        pending = Admin.TableGet;
        pendingTail = tail;
        return tail ? "Step_pure/return_call_indirect" : "Step_pure/call_indirect";
    }

    // Step_read/table.get-oob, Step_read/table.get-val, as produced by call_indirect
    string StepIndirectTableGet()
    {
        ref readonly var i = ref code[pc];
        var table = (TableInst)i.O!;
        var k = PopAddr(table.Type.AddrType);
        if (k >= table.Size)
        {
            // TRAP (REF.CAST (REF NULL yy)) (CALL_REF yy): Step_pure/trap-instrs comes next
            pending = Admin.None;
            trapHasRest = true;
            throw Trap(TrapCode.UndefinedElement, "Step_read/table.get-oob");
        }
        Push(Value.Reference(table.Get(k)));
        pendingElem = k;
        pending = Admin.RefCast;
        return "Step_read/table.get-val";
    }

    // Step_read/ref.cast-succeed, Step_read/ref.cast-fail, as produced by call_indirect: REF.CAST (REF NULL yy)
    string StepIndirectRefCast()
    {
        ref readonly var i = ref code[pc];
        var r = stack[sp - 1].Ref;
        if (r is not null && (r is not FuncInst f || !Types.DefSub(f.Type, module.Types[i.C])))
        {
            // TRAP (CALL_REF yy): Step_pure/trap-instrs comes next
            pending = Admin.None;
            trapHasRest = true;
            sp--;
            throw Trap(TrapCode.IndirectCallTypeMismatch, "Step_read/ref.cast-fail");
        }
        pending = pendingTail ? Admin.ReturnCallRef : Admin.CallRef;
        pendingIndirect = true;
        return "Step_read/ref.cast-succeed";
    }

    // ---- Branches on references ----

    string StepBrOnNull(in Inst i)
    {
        if (stack[sp - 1].Ref is null) { sp--; pending = Admin.Br; pendingLabel = i.A; Travels(pc, pc + 1); return "Step_pure/br_on_null-null"; }
        pc++;
        return "Step_pure/br_on_null-addr";
    }

    string StepBrOnNonNull(in Inst i)
    {
        if (stack[sp - 1].Ref is null) { sp--; pc++; return "Step_pure/br_on_non_null-null"; }
        pending = Admin.Br; pendingLabel = i.A; Travels(pc, pc + 1);
        return "Step_pure/br_on_non_null-addr";
    }

    string StepBrOnCast(in Inst i, bool fail)
    {
        var matches = Types.RefMatches(stack[sp - 1].Ref, (RefType)i.O!);
        if (matches != fail) { pending = Admin.Br; pendingLabel = i.A; Travels(pc, pc + 1); }
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
        var desc = Pop().Ref;
        if (desc is null)
        {
            sp--;
            throw Trap(TrapCode.NullDescriptorReference, fail ? "Step_read/br_on_cast_desc_eq_fail-null" : "Step_read/br_on_cast_desc_eq-null");
        }
        var r = stack[sp - 1].Ref;
        var matches = r is null ? ((RefType)i.O!).Null : Aggregates.HasDescriptor(r, desc);
        if (matches != fail) { pending = Admin.Br; pendingLabel = i.A; Travels(pc, pc + 1); }
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
        throwAt = pc;
        return "Step/throw";
    }

    string StepThrowRef()
    {
        if (Pop().Ref is not ExnInst exn) throw Trap(TrapCode.NullExceptionReference, "Step_read/throw_ref-null");
        // (REF.EXN_ADDR a) THROW_REF is already the throwing configuration: the step is the rule that applies to it.
        pending = Admin.ThrowRef;
        pendingExn = exn;
        throwAt = pc;
        return StepAdmin();
    }

    // Step_read/try_table: HANDLER_n{catch*} (LABEL_n{} instr*), so catch labels count from outside the block
    string StepTryTable(in Inst i)
    {
        PushContext(Ctx.Handler, i.B, 0, sp - i.A, (int)i.C + 1, i.O);
        PushContext(Ctx.Label, i.B, (int)i.C + 1, sp - i.A, (int)i.C);
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
                    // THROW_REF takes the label's place, before whatever followed its end
                    lsp--;
                    throwAt = top.End;
                    return "Step_read/throw_ref-label";
                case Ctx.Handler:
                {
                    // The handler's catch clauses are tried one a step; top.Cont counts those already passed over.
                    var h = (Handler)top.Extra!;
                    int k = top.Cont;
                    if (k == h.Catches.Length)
                    {
                        lsp--;
                        throwAt = top.End;
                        return "Step_read/throw_ref-handler-empty";
                    }
                    var c = h.Catches[k];
                    if (c is CatchTag or CatchTagRef && !ReferenceEquals(h.Tags[k], exn.Tag))
                    {
                        top.Cont++;
                        return "Step_read/throw_ref-handler-next";
                    }
                    sp = top.Height;
                    lsp--;
                    if (c is CatchTag or CatchTagRef) foreach (var v in exn.Fields) Push(v);
                    if (c is CatchTagRef or CatchAllRef) Push(Value.Reference(exn));
                    pending = Admin.Br;
                    pendingLabel = (int)c.Label;
                    Travels(throwAt, After(top)); // the handler is gone: what followed it follows BR l
                    return c switch
                    {
                        CatchTag => "Step_read/throw_ref-handler-catch",
                        CatchTagRef => "Step_read/throw_ref-handler-catch_ref",
                        CatchAll => "Step_read/throw_ref-handler-catch_all",
                        _ => "Step_read/throw_ref-handler-catch_all_ref",
                    };
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
                    throwAt = -1;
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
        throwAt = pc - 1; // where the call was
        return "Step_read/throw_ref-frame";
    }

    /// <summary>Whether values or instructions share THROW_REF's sequence, so that Step_read/throw_ref-instrs applies.
    /// Inside a legacy handler or delegate, their own rules take the exception as it is.</summary>
    bool ThrowRefHasCompany() =>
        !(lsp > labelBase && labels[lsp - 1].Kind is Ctx.LegacyHandler or Ctx.Delegate) && HasCompany();

    /// <summary>Whether values or instructions share the sequence of the administrative instruction at throwAt.</summary>
    bool HasCompany()
    {
        if (fsp == 0) return false;
        if (trapHasRest) return true;
        if (sp > InnermostHeight()) return true;
        return throwAt >= 0 && code[throwAt + 1].Op is not (Op.End or Op.Else or Op.HandlerEnd or Op.FrameEnd or Op.Finish);
    }

    /// <summary>TRAP meets the innermost context: it sheds its company, then leaves each label, handler and frame.</summary>
    string StepTrapping()
    {
        if (HasCompany())
        {
            // Step_pure/trap-instrs: val* TRAP instr* ~> TRAP
            sp = InnermostHeight();
            throwAt = -1;
            trapHasRest = false;
            return "Step_pure/trap-instrs";
        }
        if (lsp > labelBase)
        {
            ref var top = ref labels[--lsp];
            throwAt = top.End;
            return top.Kind == Ctx.Label ? "Step_pure/trap-label" : "Step_pure/trap-handler";
        }
        // The configuration's own frame holds TRAP alone: the configuration is TRAP, no rule applies.
        if (IsConfigurationFrame(frames[fsp - 1])) { fsp = 0; sp = 0; throw pendingTrap!; }
        // Step_pure/trap-frame: FRAME_n{f} TRAP ~> TRAP
        sp = fp;
        fsp--;
        if (fsp > 0) { Load(fsp - 1); throwAt = pc - 1; }
        return "Step_pure/trap-frame";
    }

    /// <summary>Administrative instructions (what remains of call_indirect, or of a spliced right-hand side) follow TRAP.</summary>
    bool trapHasRest;

    /// <summary>Where the innermost context's values begin: above its label's base, or above the frame's locals.</summary>
    int InnermostHeight() => lsp > labelBase ? labels[lsp - 1].Height : fp + frames[fsp - 1].Body.Locals.Length;

    // Legacy try ... catch: LABEL_n{} (legacy handler) instr*
    string StepLegacyTry(in Inst i)
    {
        PushContext(Ctx.Label, i.B, code[(int)i.C].A, sp - i.A, code[(int)i.C].A - 1);
        PushContext(Ctx.LegacyHandler, i.B, 0, sp - i.A, -1, i.O);
        pc++;
        return "Legacy/try";
    }

    string StepLegacyTryDelegate(in Inst i)
    {
        PushContext(Ctx.Label, i.B, (int)i.C + 1, sp - i.A, (int)i.C);
        PushContext(Ctx.Delegate, (int)((LegacyTryDelegate)i.I!).Label, 0, sp - i.A, -1);
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
        throwAt = pc;
        return "Legacy/rethrow";
    }
}
