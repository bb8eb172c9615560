using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Validation;

// §3.4.8 Control instructions (spectec 2.3, "Block instructions", "Branch instructions", "Function instructions").
// A block pushes a control frame; its body is then checked by the loop in Checker.Run, and its end by Checker.End.

internal sealed partial class Checker
{
    // Blocktype_ok/valtype, Blocktype_ok/typeidx
    (ImmutableArray<ValType> Start, ImmutableArray<ValType> End) Blocktype_ok(BlockType bt) => bt switch
    {
        ValBlockType { Result: null } => (None, None),
        ValBlockType { Result: var t } => (None, [TypeRules.Valtype_ok(C, t!)]),
        IdxBlockType(var x) => C.FuncType(x) is var ft ? (ft.Params, ft.Results) : default,
        _ => (None, None),
    };

    // Instr_ok/block: t_1* -> t_2*, body checked under label t_2*
    void Block_ok(Block i)
    {
        Rule("Instr_ok/block");
        var (start, end) = Blocktype_ok(i.Type);
        PopVals(start);
        PushCtrl(CtrlKind.Block, start, end, i.Body.OrEmpty(), i);
    }

    // Instr_ok/loop: t_1* -> t_2*, body checked under label t_1*
    void Loop_ok(Loop i)
    {
        Rule("Instr_ok/loop");
        var (start, end) = Blocktype_ok(i.Type);
        PopVals(start);
        PushCtrl(CtrlKind.Loop, start, end, i.Body.OrEmpty(), i);
    }

    // Instr_ok/if: t_1* i32 -> t_2*, both branches checked under label t_2*
    void If_ok(If i)
    {
        Rule("Instr_ok/if");
        var (start, end) = Blocktype_ok(i.Type);
        Pop(ValType.I32);
        PopVals(start);
        PushCtrl(CtrlKind.If, start, end, i.Then.OrEmpty(), i);
    }

    // Instr_ok/br: t_1* t* -> t_2*
    void Br_ok(Br i)
    {
        Rule("Instr_ok/br");
        PopVals(Label(i.Label).LabelTypes);
        SetUnreachable();
    }

    // Instr_ok/br_if: t* i32 -> t*
    void BrIf_ok(BrIf i)
    {
        Rule("Instr_ok/br_if");
        var ts = Label(i.Label).LabelTypes;
        Pop(ValType.I32);
        PopVals(ts);
        PushVals(ts);
    }

    // Instr_ok/br_table: t_1* t* i32 -> t_2*, t* matching every label
    void BrTable_ok(BrTable i)
    {
        Rule("Instr_ok/br_table");
        Pop(ValType.I32);
        var arity = Label(i.Default).LabelTypes.Length;
        foreach (var l in i.Labels.OrEmpty())
        {
            var ts = Label(l).LabelTypes;
            if (ts.Length != arity) Fail($"type mismatch: br_table label {l} has arity {ts.Length}, default has {arity}");
            // Pop against this label, then restore what was there for the next label.
            foreach (var t in PopValsKeep(ts)) Push(t);
        }
        PopVals(Label(i.Default).LabelTypes);
        SetUnreachable();
    }

    // Instr_ok/br_on_null: t* (ref null ht) -> t* (ref ht)
    void BrOnNull_ok(BrOnNull i)
    {
        Rule("Instr_ok/br_on_null");
        var ts = Label(i.Label).LabelTypes;
        var rt = PopRef();
        PopVals(ts);
        PushVals(ts);
        Push(new RefType(false, rt?.Heap ?? HeapType.Bot));
    }

    // Instr_ok/br_on_non_null: t* (ref null ht) -> t*, with C.LABELS[l] = t* (ref null? ht)
    void BrOnNonNull_ok(BrOnNonNull i)
    {
        Rule("Instr_ok/br_on_non_null");
        var ts = Label(i.Label).LabelTypes;
        if (ts.Length == 0 || ts[^1] is not RefType) Fail($"type mismatch: br_on_non_null label {i.Label} does not end in a reference type");
        var rt = PopRef();
        var nonNull = new RefType(false, rt?.Heap ?? HeapType.Bot);
        if (!Subtyping.Valtype_sub(nonNull, ts[^1])) Fail($"type mismatch: instruction requires type {nonNull} but label has {ts[^1]}");
        var rest = ts[..^1];
        PopVals(rest);
        PushVals(rest);
    }

    // Instr_ok/br_on_cast: t* rt_1 -> t* ($diffrt(rt_1, rt_2)), rt_2 <: rt_1, rt_2 <: label's last type
    void BrOnCast_ok(BrOnCast i)
    {
        Rule("Instr_ok/br_on_cast");
        var (rt1, rt2, ts) = BrOnCastTypes(i.Label, i.From, i.To, relaxedCasts);
        if (!Subtyping.Valtype_sub(rt2, ts[^1])) Fail($"type mismatch: instruction requires type {rt2} but label has {ts[^1]}");
        Pop(rt1);
        var rest = ts[..^1];
        PopVals(rest);
        PushVals(rest);
        Push(DiffRt(rt1, rt2));
    }

    // Instr_ok/br_on_cast_fail: t* rt_1 -> t* rt_2, rt_2 <: rt_1, $diffrt(rt_1, rt_2) <: label's last type
    void BrOnCastFail_ok(BrOnCastFail i)
    {
        Rule("Instr_ok/br_on_cast_fail");
        var (rt1, rt2, ts) = BrOnCastTypes(i.Label, i.From, i.To, relaxedCasts);
        var diff = DiffRt(rt1, rt2);
        if (!Subtyping.Valtype_sub(diff, ts[^1])) Fail($"type mismatch: instruction requires type {diff} but label has {ts[^1]}");
        Pop(rt1);
        var rest = ts[..^1];
        PopVals(rest);
        PushVals(rest);
        Push(rt2);
    }

    // Instr_ok/br_on_cast_desc_eq: t* rt_1 (ref null exact? y) -> t* ($diffrt(rt_1, rt_2)), rt_1 and rt_2 in one
    // hierarchy, rt_2 <: label's last type, rt_2 = (ref null? exact? x) with x's descriptor clause naming y, the
    // descriptor exact iff rt_2 is (custom descriptors proposal; its Overview, as no SpecTec rule exists yet)
    void BrOnCastDescEq_ok(BrOnCastDescEq i)
    {
        Rule("Instr_ok/br_on_cast_desc_eq");
        var (rt1, rt2, ts) = BrOnCastTypes(i.Label, i.From, i.To, relaxed: true);
        var desc = DescriptorOperand(i.To, rt2);
        if (!Subtyping.Valtype_sub(rt2, ts[^1])) Fail($"type mismatch: instruction requires type {rt2} but label has {ts[^1]}");
        Pop(desc);
        Pop(rt1);
        var rest = ts[..^1];
        PopVals(rest);
        PushVals(rest);
        Push(DiffRt(rt1, rt2));
    }

    // Instr_ok/br_on_cast_desc_eq_fail: t* rt_1 (ref null exact? y) -> t* rt_2, rt_1 and rt_2 in one hierarchy,
    // $diffrt(rt_1, rt_2) <: label's last type, rt_2 = (ref null? exact? x) with x's descriptor clause naming y
    void BrOnCastDescEqFail_ok(BrOnCastDescEqFail i)
    {
        Rule("Instr_ok/br_on_cast_desc_eq_fail");
        var (rt1, rt2, ts) = BrOnCastTypes(i.Label, i.From, i.To, relaxed: true);
        var desc = DescriptorOperand(i.To, rt2);
        var diff = DiffRt(rt1, rt2);
        if (!Subtyping.Valtype_sub(diff, ts[^1])) Fail($"type mismatch: instruction requires type {diff} but label has {ts[^1]}");
        Pop(desc);
        Pop(rt1);
        var rest = ts[..^1];
        PopVals(rest);
        PushVals(rest);
        Push(rt2);
    }

    /// <summary>The cast types closed and the label's types. Wasm 3.0 demands rt_2 &lt;: rt_1; the custom descriptors
    /// proposal (<paramref name="relaxed"/>) only that both lie in one hierarchy (some rt_3 above both).</summary>
    (RefType, RefType, ImmutableArray<ValType>) BrOnCastTypes(uint l, RefType from, RefType to, bool relaxed)
    {
        var ts = Label(l).LabelTypes;
        var rt1 = TypeRules.Reftype_ok(C, from);
        var rt2 = TypeRules.Reftype_ok(C, to);
        if (relaxed ? Subtyping.Top(rt1.Heap) != Subtyping.Top(rt2.Heap) : !Subtyping.Reftype_sub(rt2, rt1))
            Fail($"type mismatch: cast target {rt2} does not match {rt1}");
        if (ts.Length == 0) Fail($"type mismatch: instruction requires type {rt2} but label has []");
        return (rt1, rt2, ts);
    }

    /// <summary>$diffrt(rt_1, rt_2): what remains of rt_1 when rt_2 is taken away (only nullness can be).</summary>
    static RefType DiffRt(RefType rt1, RefType rt2) => rt2.Null ? new RefType(false, rt1.Heap) : rt1;

    // Instr_ok/call: t_1* -> t_2*
    void Call_ok(Call i)
    {
        Rule("Instr_ok/call");
        var ft = (FuncType)TypeRules.Expand(C.Func(i.Func));
        PopVals(ft.Params);
        PushVals(ft.Results);
    }

    // Instr_ok/call_ref: t_1* (ref null x) -> t_2*
    void CallRef_ok(CallRef i)
    {
        Rule("Instr_ok/call_ref");
        var ft = C.FuncType(i.TypeIdx);
        Pop(C.RefTo(true, i.TypeIdx));
        PopVals(ft.Params);
        PushVals(ft.Results);
    }

    // Instr_ok/call_indirect: t_1* at -> t_2*, the table holding function references
    void CallIndirect_ok(CallIndirect i)
    {
        Rule("Instr_ok/call_indirect");
        var at = IndirectTable(i.Table);
        var ft = C.FuncType(i.TypeIdx);
        Pop(ValType.Of(at));
        PopVals(ft.Params);
        PushVals(ft.Results);
    }

    AddrType IndirectTable(uint x)
    {
        var tt = C.Table(x);
        if (!Subtyping.Reftype_sub(tt.ElemType, RefType.FuncRef)) Fail($"type mismatch: indirect call through table {x} of {tt.ElemType}");
        return tt.AddrType;
    }

    // Instr_ok/return: t_1* t* -> t_2*, C.RETURN = t*
    void Return_ok()
    {
        Rule("Instr_ok/return");
        if (C.Return is not { } ts) { Fail("type mismatch: return outside a function"); return; }
        PopVals(ts);
        SetUnreachable();
    }

    // Instr_ok/return_call: t_3* t_1* -> t_4*, the callee's results matching C.RETURN
    void ReturnCall_ok(ReturnCall i)
    {
        Rule("Instr_ok/return_call");
        TailCall((FuncType)TypeRules.Expand(C.Func(i.Func)));
    }

    // Instr_ok/return_call_ref: t_3* t_1* (ref null x) -> t_4*
    void ReturnCallRef_ok(ReturnCallRef i)
    {
        Rule("Instr_ok/return_call_ref");
        var ft = C.FuncType(i.TypeIdx);
        Pop(C.RefTo(true, i.TypeIdx));
        TailCall(ft);
    }

    // Instr_ok/return_call_indirect: t_3* t_1* at -> t_4*
    void ReturnCallIndirect_ok(ReturnCallIndirect i)
    {
        Rule("Instr_ok/return_call_indirect");
        var at = IndirectTable(i.Table);
        var ft = C.FuncType(i.TypeIdx);
        Pop(ValType.Of(at));
        TailCall(ft);
    }

    void TailCall(FuncType ft)
    {
        if (C.Return is not { } ts || !Subtyping.Resulttype_sub(ft.Results, ts))
            Fail($"type mismatch: tail call results [{string.Join(" ", ft.Results)}] do not match the function's results");
        PopVals(ft.Params);
        SetUnreachable();
    }
}
