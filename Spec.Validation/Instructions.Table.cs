using Spec.Syntax;

namespace Spec.Validation;

// §3.4.5 Table instructions (spectec 2.3, "Table instructions").

internal sealed partial class Checker
{
    // Instr_ok/table.get: at -> rt
    void TableGet_ok(TableGet i)
    {
        Rule("Instr_ok/table.get");
        var tt = C.Table(i.Table);
        Pop(ValType.Of(tt.AddrType));
        Push(tt.ElemType);
    }

    // Instr_ok/table.set: at rt -> eps
    void TableSet_ok(TableSet i)
    {
        Rule("Instr_ok/table.set");
        var tt = C.Table(i.Table);
        Pop(tt.ElemType);
        Pop(ValType.Of(tt.AddrType));
    }

    // Instr_ok/table.size: eps -> at
    void TableSize_ok(TableSize i)
    {
        Rule("Instr_ok/table.size");
        Push(ValType.Of(C.Table(i.Table).AddrType));
    }

    // Instr_ok/table.grow: rt at -> at
    void TableGrow_ok(TableGrow i)
    {
        Rule("Instr_ok/table.grow");
        var tt = C.Table(i.Table);
        var at = ValType.Of(tt.AddrType);
        Pop(at);
        Pop(tt.ElemType);
        Push(at);
    }

    // Instr_ok/table.fill: at rt at -> eps
    void TableFill_ok(TableFill i)
    {
        Rule("Instr_ok/table.fill");
        var tt = C.Table(i.Table);
        var at = ValType.Of(tt.AddrType);
        Pop(at);
        Pop(tt.ElemType);
        Pop(at);
    }

    // Instr_ok/table.copy: at_1 at_2 $minat(at_1, at_2) -> eps, rt_2 <: rt_1
    void TableCopy_ok(TableCopy i)
    {
        Rule("Instr_ok/table.copy");
        var t1 = C.Table(i.Dst);
        var t2 = C.Table(i.Src);
        if (!Subtyping.Reftype_sub(t2.ElemType, t1.ElemType))
            Fail($"type mismatch: table.copy from {t2.ElemType} into {t1.ElemType}");
        Pop(ValType.Of(MinAt(t1.AddrType, t2.AddrType)));
        Pop(ValType.Of(t2.AddrType));
        Pop(ValType.Of(t1.AddrType));
    }

    // Instr_ok/table.init: at i32 i32 -> eps, C.ELEMS[y] <: rt
    void TableInit_ok(TableInit i)
    {
        Rule("Instr_ok/table.init");
        var tt = C.Table(i.Table);
        var rt = C.Elem(i.Elem);
        if (!Subtyping.Reftype_sub(rt, tt.ElemType)) Fail($"type mismatch: table.init of {rt} into {tt.ElemType}");
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(ValType.Of(tt.AddrType));
    }

    // Instr_ok/elem.drop: eps -> eps
    void ElemDrop_ok(ElemDrop i)
    {
        Rule("Instr_ok/elem.drop");
        C.Elem(i.Elem);
    }

    /// <summary>$minat(at_1, at_2): the smaller address type.</summary>
    static AddrType MinAt(AddrType a, AddrType b) => a == AddrType.I32 || b == AddrType.I32 ? AddrType.I32 : AddrType.I64;
}
