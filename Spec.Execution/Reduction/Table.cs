using Spec.Syntax;

namespace Spec.Execution.Reduction;

// §4.4.6 Table instructions (spectec 4.3-execution.instructions, "Table instructions").

public sealed partial class Interpreter
{
    TableInst Table(uint x) => module.tables[(int)x];

    static bool InBounds(ulong i, ulong n, ulong size) => n <= size && i <= size - n;

    string StepTableGet(TableGet x)
    {
        var t = Table(x.Table);
        var i = PopAddr(t.Type.AddrType);
        if (i >= t.Size) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/table.get-oob");
        Push(Value.Reference(t.Get(i)));
        return "Step_read/table.get-val";
    }

    string StepTableSet(TableSet x)
    {
        var t = Table(x.Table);
        var r = Pop().Ref;
        var i = PopAddr(t.Type.AddrType);
        if (i >= t.Size) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step/table.set-oob");
        t.Set(i, r);
        return "Step/table.set-val";
    }

    string StepTableSize(TableSize x)
    {
        var t = Table(x.Table);
        Push(AddrValue(t.Type.AddrType, t.Size));
        return "Step_read/table.size";
    }

    string StepTableGrow(TableGrow x)
    {
        var t = Table(x.Table);
        var n = PopAddr(t.Type.AddrType);
        var r = Pop().Ref;
        var old = t.Size;
        if (t.CanGrow(n))
        {
            store.Charge(n);
            t.Grow(n, r);
            Push(AddrValue(t.Type.AddrType, old));
            return "Step/table.grow-succeed";
        }
        Push(AddrValue(t.Type.AddrType, ulong.MaxValue)); // -1 at the table's address width
        return "Step/table.grow-fail";
    }

    string StepTableFill(TableFill x)
    {
        var t = Table(x.Table);
        var n = PopAddr(t.Type.AddrType);
        var r = Pop().Ref;
        var i = PopAddr(t.Type.AddrType);
        if (!InBounds(i, n, t.Size)) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/table.fill-oob");
        if (n == 0) return "Step_read/table.fill-zero";
        store.Charge(n);
        t.Fill(i, r, n);
        return "Step_read/table.fill-succ";
    }

    string StepTableCopy(TableCopy x)
    {
        TableInst td = Table(x.Dst), ts = Table(x.Src);
        var n = td.Type.AddrType == AddrType.I64 && ts.Type.AddrType == AddrType.I64 ? Pop().Bits : PopU32();
        var s = PopAddr(ts.Type.AddrType);
        var d = PopAddr(td.Type.AddrType);
        if (!InBounds(s, n, ts.Size) || !InBounds(d, n, td.Size)) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/table.copy-oob");
        if (n == 0) return "Step_read/table.copy-zero";
        store.Charge(n);
        td.Copy(d, ts, s, n);
        return d <= s ? "Step_read/table.copy-le" : "Step_read/table.copy-gt";
    }

    string StepTableInit(TableInit x)
    {
        var t = Table(x.Table);
        var e = module.elems[(int)x.Elem];
        var n = PopU32();
        var s = PopU32();
        var d = PopAddr(t.Type.AddrType);
        if (!InBounds(s, n, (ulong)e.Refs.Length) || !InBounds(d, n, t.Size)) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/table.init-oob");
        if (n == 0) return "Step_read/table.init-zero";
        store.Charge(n);
        t.Init(d, e.Refs, s, n);
        return "Step_read/table.init-succ";
    }

    string StepElemDrop(ElemDrop x)
    {
        module.elems[(int)x.Elem].Refs = [];
        return "Step/elem.drop";
    }
}
