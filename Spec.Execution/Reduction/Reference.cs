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

    /// <summary>A GC object's address in a trace: the order in which this configuration first named it.</summary>
    public int AddressOf(Ref r)
    {
        if (!addresses.TryGetValue(r, out var a)) addresses[r] = a = addresses.Count;
        return a;
    }
    readonly Dictionary<Ref, int> addresses = new(ReferenceEqualityComparer.Instance);

    string StructName(Ref r) => AddressOf(r).ToString();

    StructType StructOf(uint x) => (StructType)module.Comps[x];
    ArrayType ArrayOf(uint x) => (ArrayType)module.Comps[x];

    /// <summary>A struct of type x with default fields, its bytes claimed from the store's GC heap.</summary>
    StructInst NewStruct(uint x, Ref? descriptor) => new(store.Claims.Heap, module.Types[x], StructOf(x), descriptor);

    /// <summary>A struct of type x whose fields are the top n values of the stack (the first deepest).</summary>
    StructInst NewStructOfStack(uint x, Ref? descriptor)
    {
        var s = NewStruct(x, descriptor);
        for (int k = StructOf(x).Fields.Length - 1; k >= 0; k--) s.Set((uint)k, Pop());
        return s;
    }

    string StepStructNew(StructNew x)
    {
        Push(Value.Reference(NewStructOfStack(x.TypeIdx, null)));
        if (recordChanges) changes.Add(new StoreChange($"new struct {StructName(stack[sp - 1].Ref!)}", stack[sp - 1]));
        return "Step/struct.new";
    }

    // Step_read/struct.new_default: (STRUCT.NEW_DEFAULT x) ~> val* (STRUCT.NEW x), each val its field's default
    string StepStructNewDefault(StructNewDefault x)
    {
        if (faithful)
        {
            foreach (var f in StructOf(x.TypeIdx).Fields) Push(DefaultOf(f.Type));
            Splice(NewRhs().I(new StructNew(x.TypeIdx)));
            return "Step_read/struct.new_default";
        }
        Push(Value.Reference(NewStruct(x.TypeIdx, null)));
        return "Step_read/struct.new_default";
    }

    string StepStructNewDesc(StructNewDesc x)
    {
        var desc = Pop().Ref;
        if (desc is null) { sp -= StructOf(x.TypeIdx).Fields.Length; throw Trap(TrapCode.NullDescriptorReference, "Step/struct.new_desc-null"); }
        Push(Value.Reference(NewStructOfStack(x.TypeIdx, desc)));
        return "Step/struct.new_desc";
    }

    string StepStructNewDefaultDesc(StructNewDefaultDesc x)
    {
        // Step_read/struct.new_default_desc reduces to val* desc (STRUCT.NEW_DESC x), whose null descriptor traps.
        if (faithful)
        {
            // val* desc (STRUCT.NEW_DESC x)
            var d = Pop();
            foreach (var f in StructOf(x.TypeIdx).Fields) Push(DefaultOf(f.Type));
            Push(d);
            Splice(NewRhs().I(new StructNewDesc(x.TypeIdx)));
            return "Step_read/struct.new_default_desc";
        }
        var desc = Pop().Ref ?? throw Trap(TrapCode.NullDescriptorReference, "Step/struct.new_desc-null");
        Push(Value.Reference(NewStruct(x.TypeIdx, desc)));
        return "Step_read/struct.new_default_desc";
    }

    string StepStructGet(StructGet x)
    {
        if (Pop().Ref is not StructInst s) throw Trap(TrapCode.NullStructureReference, "Step_read/struct.get-null");
        Push(Aggregates.UnpackField(StructOf(x.TypeIdx).Fields[(int)x.Field].Type, x.Sx, s.Get(x.Field)));
        return "Step_read/struct.get-struct";
    }

    string StepStructSet(StructSet x)
    {
        var v = Pop();
        if (Pop().Ref is not StructInst s) throw Trap(TrapCode.NullStructureReference, "Step/struct.set-null");
        s.Set(x.Field, v);
        if (recordChanges) changes.Add(new StoreChange($"struct {StructName(s)} field {x.Field}", v));
        return "Step/struct.set-struct";
    }

    /// <summary>An array of type x of n default elements, its bytes claimed from the store's GC heap.</summary>
    ArrayInst NewArray(uint x, ulong n) => new(store.Claims.Heap, module.Types[x], ArrayOf(x), n);

    /// <summary>$default_($unpack(zt)): a field's default value (packed fields as i32).</summary>
    static Value DefaultOf(StorageType t) => t is ValType v ? Value.Default(v) ?? Value.Null : Value.I32(0);

    /// <summary>Whether array.new* of n elements reduces to val^n (ARRAY.NEW_FIXED x n) as its own step (see MaxSplicedElements).</summary>
    bool SplicesArray(uint n) => faithful && n <= MaxSplicedElements;

    /// <summary>val^n (ARRAY.NEW_FIXED x n), the values already on the stack.</summary>
    void SpliceNewFixed(uint x, uint n) => Splice(NewRhs().I(new ArrayNewFixed(x, n)));

    // Step_pure/array.new: val (CONST I32 n) (ARRAY.NEW x) ~> val^n (ARRAY.NEW_FIXED x n)
    string StepArrayNew(ArrayNew x)
    {
        var n = PopU32();
        var v = Pop();
        store.Charge(n);
        if (SplicesArray(n))
        {
            for (uint k = 0; k < n; k++) Push(v);
            SpliceNewFixed(x.TypeIdx, n);
            return "Step_pure/array.new";
        }
        var a = NewArray(x.TypeIdx, n);
        a.Fill(0, n, v);
        Push(Value.Reference(a));
        return "Step_pure/array.new";
    }

    string StepArrayNewDefault(ArrayNewDefault x)
    {
        var n = PopU32();
        store.Charge(n);
        if (SplicesArray(n))
        {
            // val^n (ARRAY.NEW_FIXED x n), each val the element type's default
            var v = DefaultOf(ArrayOf(x.TypeIdx).Field.Type);
            for (uint k = 0; k < n; k++) Push(v);
            SpliceNewFixed(x.TypeIdx, n);
            return "Step_read/array.new_default";
        }
        Push(Value.Reference(NewArray(x.TypeIdx, n)));
        return "Step_read/array.new_default";
    }

    string StepArrayNewFixed(ArrayNewFixed x)
    {
        var a = NewArray(x.TypeIdx, x.Length);
        for (uint k = x.Length; k-- > 0;) a.Set(k, Pop());
        Push(Value.Reference(a));
        if (recordChanges) changes.Add(new StoreChange($"new array {StructName(a)}", stack[sp - 1]));
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
        if (SplicesArray(n))
        {
            // ($const(..., c))^n (ARRAY.NEW_FIXED x n): the elements read from the data segment
            for (uint k = 0; k < n; k++) Push(Aggregates.Load(t, bytes.AsSpan((int)(s + k * z), z)));
            SpliceNewFixed(x.TypeIdx, n);
            return "Step_read/array.new_data-num";
        }
        var a = NewArray(x.TypeIdx, n);
        a.InitData(0, bytes.AsSpan((int)s, (int)n * z));
        Push(Value.Reference(a));
        return "Step_read/array.new_data-num";
    }

    string StepArrayNewElem(ArrayNewElem x)
    {
        var n = PopU32();
        var s = PopU32();
        var refs = module.elems[(int)x.Elem].Refs;
        if ((ulong)s + n > (ulong)refs.Length) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/array.new_elem-oob");
        store.Charge(n);
        if (SplicesArray(n))
        {
            // ref^n (ARRAY.NEW_FIXED x n): the segment's references
            for (uint k = 0; k < n; k++) Push(Value.Reference(refs[(int)(s + k)]));
            SpliceNewFixed(x.TypeIdx, n);
            return "Step_read/array.new_elem-alloc";
        }
        var a = NewArray(x.TypeIdx, n);
        a.InitRefs(0, refs, s, n);
        Push(Value.Reference(a));
        return "Step_read/array.new_elem-alloc";
    }

    string StepArrayGet(ArrayGet x)
    {
        var i = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.get-null");
        if (i >= a.Length) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.get-oob");
        Push(Aggregates.UnpackField(ArrayOf(x.TypeIdx).Field.Type, x.Sx, a.Get(i)));
        return "Step_read/array.get-array";
    }

    string StepArraySet(ArraySet x)
    {
        var v = Pop();
        var i = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step/array.set-null");
        if (i >= a.Length) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step/array.set-oob");
        a.Set(i, v);
        if (recordChanges) changes.Add(new StoreChange($"array {StructName(a)} [{i}]", v));
        return "Step/array.set-array";
    }

    string StepArrayLen()
    {
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.len-null");
        Push(Value.I32(a.Length));
        return "Step_read/array.len-array";
    }

    string StepArrayFill(ArrayFill x)
    {
        var n = PopU32();
        var v = Pop();
        var d = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.fill-null");
        if (!InBounds(d, n, (ulong)a.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.fill-oob");
        if (n == 0) return "Step_read/array.fill-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // (REF.ARRAY_ADDR a) (CONST I32 i) val (ARRAY.SET x) (REF.ARRAY_ADDR a) (CONST I32 i+1) val (CONST I32 n-1) (ARRAY.FILL x)
            var r = Value.Reference(a);
            Splice(NewRhs().V(r).V(Value.I32(d)).V(v).I(new ArraySet(x.TypeIdx))
                .V(r).V(Value.I32(d + 1)).V(v).V(Value.I32(n - 1)).I(x));
            return "Step_read/array.fill-succ";
        }
        a.Fill(d, n, v);
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
        if (!InBounds(d, n, (ulong)a1.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.copy-oob1");
        if (!InBounds(s, n, (ulong)a2.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.copy-oob2");
        if (n == 0) return "Step_read/array.copy-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // le: a_1 (CONST i_1) a_2 (CONST i_2) (ARRAY.GET sx? x_2) (ARRAY.SET x_1) a_1 (CONST i_1+1) a_2 (CONST i_2+1) (CONST n-1) (ARRAY.COPY x_1 x_2)
            // gt: the last element first, then a_1 (CONST i_1) a_2 (CONST i_2) (CONST n-1) (ARRAY.COPY x_1 x_2)
            uint first = d <= s ? 0 : n - 1, rest = d <= s ? 1u : 0;
            Sx? sx = ArrayOf(x.Src).Field.Type is PackedType ? Sx.U : null;
            Value v1 = Value.Reference(a1), v2 = Value.Reference(a2);
            Splice(NewRhs().V(v1).V(Value.I32(d + first)).V(v2).V(Value.I32(s + first)).I(new ArrayGet(sx, x.Src)).I(new ArraySet(x.Dst))
                .V(v1).V(Value.I32(d + rest)).V(v2).V(Value.I32(s + rest)).V(Value.I32(n - 1)).I(x));
            return d <= s ? "Step_read/array.copy-le" : "Step_read/array.copy-gt";
        }
        a1.Copy(d, a2, s, n);
        return d <= s ? "Step_read/array.copy-le" : "Step_read/array.copy-gt";
    }

    string StepArrayInitData(ArrayInitData x)
    {
        var n = PopU32();
        var s = PopU32();
        var d = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.init_data-null");
        if (!InBounds(d, n, (ulong)a.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.init_data-oob1");
        var t = ArrayOf(x.TypeIdx).Field.Type;
        int z = Aggregates.ZSize(t);
        var bytes = module.datas[(int)x.Data].Bytes;
        if ((ulong)s + (ulong)n * (ulong)z > (ulong)bytes.Length) throw Trap(TrapCode.OutOfBoundsMemoryAccess, "Step_read/array.init_data-oob2");
        if (n == 0) return "Step_read/array.init_data-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // a (CONST I32 i) c (ARRAY.SET x) a (CONST I32 i+1) (CONST I32 j+zsize) (CONST I32 n-1) (ARRAY.INIT_DATA x y)
            var r = Value.Reference(a);
            Splice(NewRhs().V(r).V(Value.I32(d)).V(Aggregates.Load(t, bytes.AsSpan((int)s, z))).I(new ArraySet(x.TypeIdx))
                .V(r).V(Value.I32(d + 1)).V(Value.I32(s + (uint)z)).V(Value.I32(n - 1)).I(x));
            return "Step_read/array.init_data-num";
        }
        a.InitData(d, bytes.AsSpan((int)s, (int)n * z));
        return "Step_read/array.init_data-num";
    }

    string StepArrayInitElem(ArrayInitElem x)
    {
        var n = PopU32();
        var s = PopU32();
        var d = PopU32();
        if (Pop().Ref is not ArrayInst a) throw Trap(TrapCode.NullArrayReference, "Step_read/array.init_elem-null");
        if (!InBounds(d, n, (ulong)a.Length)) throw Trap(TrapCode.OutOfBoundsArrayAccess, "Step_read/array.init_elem-oob1");
        var refs = module.elems[(int)x.Elem].Refs;
        if (!InBounds(s, n, (ulong)refs.Length)) throw Trap(TrapCode.OutOfBoundsTableAccess, "Step_read/array.init_elem-oob2");
        if (n == 0) return "Step_read/array.init_elem-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // a (CONST I32 i) ref_j (ARRAY.SET x) a (CONST I32 i+1) (CONST I32 j+1) (CONST I32 n-1) (ARRAY.INIT_ELEM x y)
            var r = Value.Reference(a);
            Splice(NewRhs().V(r).V(Value.I32(d)).V(Value.Reference(refs[s])).I(new ArraySet(x.TypeIdx))
                .V(r).V(Value.I32(d + 1)).V(Value.I32(s + 1)).V(Value.I32(n - 1)).I(x));
            return "Step_read/array.init_elem-succ";
        }
        a.InitRefs(d, refs, s, n);
        return "Step_read/array.init_elem-succ";
    }
}
