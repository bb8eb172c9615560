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
        if (recordChanges) changes.Add(new StoreChange($"table {store.tables.IndexOf(t)} [{i}]", Value.Reference(r)));
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
        ChargeBulk(n);
        if (exact && faithful)
        {
            // (CONST at i) val (TABLE.SET x) (CONST at i+1) val (CONST at n-1) (TABLE.FILL x)
            var at = t.Type.AddrType;
            Splice(NewRhs().V(AddrValue(at, i)).V(Value.Reference(r)).I(new TableSet(x.Table))
                .V(AddrValue(at, i + 1)).V(Value.Reference(r)).V(AddrValue(at, n - 1)).I(x));
            return "Step_read/table.fill-succ";
        }
        t.Fill(i, r, n);
        return "Step_read/table.fill-succ";
    }

    string StepTableCopy(TableCopy x)
    {
        TableInst td = Table(x.Dst), ts = Table(x.Src);
        var nt = td.Type.AddrType == AddrType.I64 && ts.Type.AddrType == AddrType.I64 ? AddrType.I64 : AddrType.I32;
        var n = PopAddr(nt);
        var s = PopAddr(ts.Type.AddrType);
        var d = PopAddr(td.Type.AddrType);
        if (!InBounds(s, n, ts.Size) || !InBounds(d, n, td.Size)) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/table.copy-oob");
        if (n == 0) return "Step_read/table.copy-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // le: (CONST i_1) (CONST i_2) (TABLE.GET y) (TABLE.SET x) (CONST i_1+1) (CONST i_2+1) (CONST n-1) (TABLE.COPY x y)
            // gt: the last element first, then (CONST i_1) (CONST i_2) (CONST n-1) (TABLE.COPY x y)
            ulong first = d <= s ? 0 : n - 1, rest = d <= s ? 1UL : 0;
            Splice(NewRhs().V(AddrValue(td.Type.AddrType, d + first)).V(AddrValue(ts.Type.AddrType, s + first))
                .I(new TableGet(x.Src)).I(new TableSet(x.Dst))
                .V(AddrValue(td.Type.AddrType, d + rest)).V(AddrValue(ts.Type.AddrType, s + rest)).V(AddrValue(nt, n - 1)).I(x));
            return d <= s ? "Step_read/table.copy-le" : "Step_read/table.copy-gt";
        }
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
        ChargeBulk(n);
        if (exact && faithful)
        {
            // (CONST at i) ref_j (TABLE.SET x) (CONST at i+1) (CONST I32 j+1) (CONST I32 n-1) (TABLE.INIT x y)
            var at = t.Type.AddrType;
            Splice(NewRhs().V(AddrValue(at, d)).V(Value.Reference(e.Refs[s])).I(new TableSet(x.Table))
                .V(AddrValue(at, d + 1)).V(Value.I32(s + 1)).V(Value.I32(n - 1)).I(x));
            return "Step_read/table.init-succ";
        }
        t.Init(d, e.Refs, s, n);
        return "Step_read/table.init-succ";
    }

    string StepElemDrop(ElemDrop x)
    {
        module.elems[(int)x.Elem].Refs = [];
        return "Step/elem.drop";
    }
}
