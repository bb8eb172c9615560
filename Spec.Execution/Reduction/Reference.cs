using Spec.Syntax;

namespace Spec.Execution.Reduction;

// §4.4.4-4.4.5 Reference and aggregate instructions (spectec 4.3-execution.instructions,
// "Reference instructions", "Structure instructions", "Array instructions").

public sealed partial class Interpreter
{

    string StepRefNull() { Push(Value.Null); return "Step_read/ref.null"; }

    string StepRefIsNull()
    {
        var r = Pop().Ref;
        Push(Value.I32(r is null ? 1 : 0));
        return r is null ? "Step_pure/ref.is_null-true" : "Step_pure/ref.is_null-false";
    }

    string StepRefAsNonNull()
    {
        if (stack[sp - 1].Ref is null) { sp--; throw Trap(TrapCode.NullReference, "Step_pure/ref.as_non_null-null"); }
        return "Step_pure/ref.as_non_null-addr";
    }

    string StepRefEq()
    {
        var r2 = Pop().Ref; var r1 = Pop().Ref;
        if (r1 is null && r2 is null) { Push(Value.I32(1)); return "Step_pure/ref.eq-null"; }
        bool eq = Aggregates.SameRef(r1, r2);
        Push(Value.I32(eq ? 1 : 0));
        return eq ? "Step_pure/ref.eq-true" : "Step_pure/ref.eq-false";
    }


    string StepRefTest(RefType rt)
    {
        var ok = Types.RefMatches(Pop().Ref, rt);
        Push(Value.I32(ok ? 1 : 0));
        return ok ? "Step_read/ref.test-true" : "Step_read/ref.test-false";
    }

    string StepRefCast(RefType rt)
    {
        if (!Types.RefMatches(stack[sp - 1].Ref, rt)) { sp--; throw Trap(TrapCode.CastFailure, "Step_read/ref.cast-fail"); }
        return "Step_read/ref.cast-succeed";
    }

    // ---- Descriptor instructions (custom descriptors proposal) ----


    string StepRefGetDesc()
    {
        if (Pop().Ref is not StructInst s) throw Trap(TrapCode.NullReference, "Step_read/ref.get_desc-null");
        // Validation admits only types with a descriptor clause, and their allocation always stores one.
        Push(Value.Reference(s.Descriptor ?? throw new InvalidOperationException("struct without a descriptor")));
        return "Step_read/ref.get_desc";
    }

    string StepRefCastDescEq(RefCastDescEq x)
    {
        var desc = Pop().Ref;
        if (desc is null) { sp--; throw Trap(TrapCode.NullDescriptorReference, "Step_read/ref.cast_desc_eq-null"); }
        var r = stack[sp - 1].Ref;
        if (r is null ? !x.Type.Null : !Aggregates.HasDescriptor(r, desc))
        {
            sp--;
            throw Trap(TrapCode.DescriptorCastFailure, "Step_read/ref.cast_desc_eq-fail");
        }
        return "Step_read/ref.cast_desc_eq-succeed";
    }

    string StepRefFunc(RefFunc x) { Push(Value.Reference(module.funcs[(int)x.Func])); return "Step_read/ref.func"; }

    string StepRefI31() { Push(Value.Reference(new I31Ref(PopU32()))); return "Step_pure/ref.i31"; }

    string StepI31Get(I31Get x)
    {
        if (Pop().Ref is not I31Ref r) throw Trap(TrapCode.NullI31Reference, "Step_pure/i31.get-null");
        Push(Value.I32(x.Sx == Sx.S ? (uint)((int)(r.Value << 1) >> 1) : r.Value));
        return "Step_pure/i31.get-num";
    }

    string StepExternConvertAny()
    {
        var r = Pop().Ref;
        Push(Value.Reference(r is null ? null : new ExternRef(r)));
        return r is null ? "Step_pure/extern.convert_any-null" : "Step_pure/extern.convert_any-addr";
    }

    string StepAnyConvertExtern()
    {
        var r = Pop().Ref;
        Push(Value.Reference(r is ExternRef e ? e.Inner : null));
        return r is null ? "Step_pure/any.convert_extern-null" : "Step_pure/any.convert_extern-addr";
    }

    StructType StructOf(uint x) => (StructType)module.Comps[x];
    ArrayType ArrayOf(uint x) => (ArrayType)module.Comps[x];

    string StepStructNew(StructNew x)
    {
        var st = StructOf(x.TypeIdx);
        int n = st.Fields.Length;
        var fields = new Value[n];
        for (int k = n - 1; k >= 0; k--) fields[k] = Aggregates.PackField(st.Fields[k].Type, Pop());
        Push(Value.Reference(new StructInst(module.Types[x.TypeIdx], fields)));
        return "Step/struct.new";
    }

    string StepStructNewDefault(StructNewDefault x)
    {
        var st = StructOf(x.TypeIdx);
        var fields = st.Fields.Select(f => Aggregates.DefaultField(f.Type)).ToArray();
        Push(Value.Reference(new StructInst(module.Types[x.TypeIdx], fields)));
        return "Step_read/struct.new_default";
    }

    string StepStructNewDesc(StructNewDesc x)
    {
        var desc = Pop().Ref;
        var st = StructOf(x.TypeIdx);
        int n = st.Fields.Length;
        if (desc is null) { sp -= n; throw Trap(TrapCode.NullDescriptorReference, "Step/struct.new_desc-null"); }
        var fields = new Value[n];
        for (int k = n - 1; k >= 0; k--) fields[k] = Aggregates.PackField(st.Fields[k].Type, Pop());
        Push(Value.Reference(new StructInst(module.Types[x.TypeIdx], fields, desc)));
        return "Step/struct.new_desc";
    }

    string StepStructNewDefaultDesc(StructNewDefaultDesc x)
    {
        // Step_read/struct.new_default_desc reduces to val* desc (STRUCT.NEW_DESC x), whose null descriptor traps.
        var desc = Pop().Ref ?? throw Trap(TrapCode.NullDescriptorReference, "Step/struct.new_desc-null");
        var fields = StructOf(x.TypeIdx).Fields.Select(f => Aggregates.DefaultField(f.Type)).ToArray();
        Push(Value.Reference(new StructInst(module.Types[x.TypeIdx], fields, desc)));
        return "Step_read/struct.new_default_desc";
    }

    string StepStructGet(StructGet x)
    {
        if (Pop().Ref is not StructInst s) throw Trap(TrapCode.NullStructureReference, "Step_read/struct.get-null");
        var ft = StructOf(x.TypeIdx).Fields[(int)x.Field];
        Push(Aggregates.UnpackField(ft.Type, x.Sx, s.Fields[x.Field]));
        return "Step_read/struct.get-struct";
    }

    string StepStructSet(StructSet x)
    {
        var v = Pop();
        if (Pop().Ref is not StructInst s) throw Trap(TrapCode.NullStructureReference, "Step/struct.set-null");
        s.Fields[x.Field] = Aggregates.PackField(StructOf(x.TypeIdx).Fields[(int)x.Field].Type, v);
        return "Step/struct.set-struct";
    }

    ArrayInst NewArray(uint x, ulong n, Func<int, Value> field)
    {
        if (n > Aggregates.MaxArrayLength) throw new ExhaustionException(TrapCode.OutOfMemory);
        var at = ArrayOf(x);
        var fields = new Value[n];
        for (int k = 0; k < (int)n; k++) fields[k] = Aggregates.PackField(at.Field.Type, field(k));
        return new ArrayInst(module.Types[x], fields);
    }

    string StepArrayNew(ArrayNew x)
    {
        var n = PopU32();
        var v = Pop();
        store.Charge(n);
        Push(Value.Reference(NewArray(x.TypeIdx, n, _ => v)));
        return "Step_pure/array.new";
    }

    string StepArrayNewDefault(ArrayNewDefault x)
    {
        var n = PopU32();
        var v = Aggregates.DefaultField(ArrayOf(x.TypeIdx).Field.Type);
        store.Charge(n);
        Push(Value.Reference(NewArray(x.TypeIdx, n, _ => v)));
        return "Step_read/array.new_default";
    }

    string StepArrayNewFixed(ArrayNewFixed x)
    {
        int n = (int)x.Length;
        var vs = stack.AsSpan(sp - n, n).ToArray();
        sp -= n;
        Push(Value.Reference(NewArray(x.TypeIdx, (ulong)n, k => vs[k])));
        return "Step/array.new_fixed";
    }

    string StepArrayNewData(ArrayNewData x)
    {
        var n = PopU32();
        var s = PopU32();
        var t = ArrayOf(x.TypeIdx).Field.Type;
        int z = Aggregates.ZSize(t);
        var bytes = module.datas[(int)x.Data].Bytes;
        if ((ulong)s + (ulong)n * (ulong)z > (ulong)bytes.Length) throw Trap(TrapCode.OutOfBoundsMemoryAccess, "Step_read/array.new_data-oob");
        store.Charge(n);
        Push(Value.Reference(NewArray(x.TypeIdx, n, k => Aggregates.FieldFromBytes(t, bytes.AsSpan((int)s + k * z, z)))));
        return "Step_read/array.new_data-num";
    }

    string StepArrayNewElem(ArrayNewElem x)
    {
        var n = PopU32();
        var s = PopU32();
        var refs = module.elems[(int)x.Elem].Refs;
        if ((ulong)s + n > (ulong)refs.Length) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/array.new_elem-oob");
        store.Charge(n);
        Push(Value.Reference(NewArray(x.TypeIdx, n, k => Value.Reference(refs[s + k]))));
        return "Step_read/array.new_elem-alloc";
    }

    string StepArrayGet(ArrayGet x)
    {
        var i = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.get-null");
        if (i >= a.Fields.Length) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.get-oob");
        Push(Aggregates.UnpackField(ArrayOf(x.TypeIdx).Field.Type, x.Sx, a.Fields[i]));
        return "Step_read/array.get-array";
    }

    string StepArraySet(ArraySet x)
    {
        var v = Pop();
        var i = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step/array.set-null");
        if (i >= a.Fields.Length) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step/array.set-oob");
        a.Fields[i] = Aggregates.PackField(ArrayOf(x.TypeIdx).Field.Type, v);
        return "Step/array.set-array";
    }

    string StepArrayLen()
    {
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.len-null");
        Push(Value.I32(a.Fields.Length));
        return "Step_read/array.len-array";
    }

    string StepArrayFill(ArrayFill x)
    {
        var n = PopU32();
        var v = Pop();
        var d = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.fill-null");
        if (!InBounds(d, n, (ulong)a.Fields.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.fill-oob");
        if (n == 0) return "Step_read/array.fill-zero";
        store.Charge(n);
        Array.Fill(a.Fields, Aggregates.PackField(ArrayOf(x.TypeIdx).Field.Type, v), (int)d, (int)n);
        return "Step_read/array.fill-succ";
    }

    string StepArrayCopy(ArrayCopy x)
    {
        var n = PopU32();
        var s = PopU32();
        var r2 = Pop().Ref;
        var d = PopU32();
        var r1 = Pop().Ref;
        if (r1 is not ArrayInst a1) throw Trap(TrapCode.NullArrayReference, "Step_read/array.copy-null1");
        if (r2 is not ArrayInst a2) throw Trap(TrapCode.NullArrayReference, "Step_read/array.copy-null2");
        if (!InBounds(d, n, (ulong)a1.Fields.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.copy-oob1");
        if (!InBounds(s, n, (ulong)a2.Fields.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.copy-oob2");
        if (n == 0) return "Step_read/array.copy-zero";
        store.Charge(n);
        Array.Copy(a2.Fields, s, a1.Fields, d, n);
        return d <= s ? "Step_read/array.copy-le" : "Step_read/array.copy-gt";
    }

    string StepArrayInitData(ArrayInitData x)
    {
        var n = PopU32();
        var s = PopU32();
        var d = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.init_data-null");
        if (!InBounds(d, n, (ulong)a.Fields.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.init_data-oob1");
        var t = ArrayOf(x.TypeIdx).Field.Type;
        int z = Aggregates.ZSize(t);
        var bytes = module.datas[(int)x.Data].Bytes;
        if ((ulong)s + (ulong)n * (ulong)z > (ulong)bytes.Length) throw Trap(TrapCode.OutOfBoundsMemoryAccess, "Step_read/array.init_data-oob2");
        if (n == 0) return "Step_read/array.init_data-zero";
        store.Charge(n);
        for (int k = 0; k < (int)n; k++) a.Fields[d + k] = Aggregates.FieldFromBytes(t, bytes.AsSpan((int)s + k * z, z));
        return "Step_read/array.init_data-num";
    }

    string StepArrayInitElem(ArrayInitElem x)
    {
        var n = PopU32();
        var s = PopU32();
        var d = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.init_elem-null");
        if (!InBounds(d, n, (ulong)a.Fields.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.init_elem-oob1");
        var refs = module.elems[(int)x.Elem].Refs;
        if (!InBounds(s, n, (ulong)refs.Length)) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/array.init_elem-oob2");
        if (n == 0) return "Step_read/array.init_elem-zero";
        store.Charge(n);
        for (int k = 0; k < (int)n; k++) a.Fields[d + k] = Value.Reference(refs[s + k]);
        return "Step_read/array.init_elem-succ";
    }
}
