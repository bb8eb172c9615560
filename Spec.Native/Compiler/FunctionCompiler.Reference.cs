using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Mem = Spec.Native.X64.Mem;

namespace Spec.Native.Compiler;

// §4.4.4-4.4.6 References, aggregates and tables. A reference in native code is a handle (see JitStore): null is
// 0, so ref.null, ref.is_null, ref.as_non_null and br_on_null/br_on_non_null are compiled inline; an i31 is an odd
// handle, and everything that looks at an object (casts, fields, elements, tables) is a runtime instruction.

internal sealed partial class FunctionCompiler
{
    /// <summary>Step_read/ref.null: the null handle.</summary>
    void RefNull() => Push(Entry.Constant(VClass.Ref, 0));

    /// <summary>Step_pure/ref.is_null-true, ref.is_null-false.</summary>
    void RefIsNull()
    {
        var e = Pop();
        if (e.Kind == Kind.Const) { Push(Entry.Constant(VClass.I32, e.Bits == 0 ? 1UL : 0)); return; }
        TestHandle(e);
        Release(e);
        Push(Entry.Condition(Cond.E));
    }

    /// <summary>Sets ZF when the reference <paramref name="e"/> is null.</summary>
    void TestHandle(in Entry e)
    {
        if (MemoryOf(e) is { } m) a.Alu(AluOp.Cmp, Width.W64, m, 0);
        else
        {
            var r = ReadGpr(e);
            a.Test(Width.W64, r, r);
            ReleaseRead(e, r);
        }
    }

    /// <summary>Step_pure/ref.as_non_null-null traps "null reference"; -addr leaves the reference.</summary>
    void RefAsNonNull()
    {
        TestHandle(Top);
        a.Jcc(Cond.E, TrapLabel(TrapCode.NullReference));
    }

    /// <summary>br_on_null: branch (without the reference) when null, else continue with it.</summary>
    void BrOnNull(uint label)
    {
        var e = Pop();
        TestHandle(e);
        JumpIf(Cond.E, LabelAt(label));
        Push(e);
        ChargeRest();
    }

    /// <summary>br_on_non_null: branch with the reference when it is not null, else drop it.</summary>
    void BrOnNonNull(uint label)
    {
        TestHandle(Top);
        JumpIf(Cond.NE, LabelAt(label));
        Release(Pop());
        ChargeRest();
    }

    /// <summary>br_on_cast(_fail), br_on_cast_desc_eq(_fail): the runtime tests (a copy of) the reference, the branch is inline.</summary>
    void BrOnCast(uint label, Instr test, int operands, bool onFail)
    {
        // The reference (and a descriptor) are copied, so that the test consumes the copies and the original stays.
        if (operands == 2)
        {
            // [ref desc] becomes [ref ref desc]: the descriptor moves up a slot first, then the reference is copied.
            Spill(sp - 1);
            Spill(sp - 2);
            int p = sp - 2;
            CopySlot(SlotOf(p + 1), SlotOf(p + 2));
            CopySlot(SlotOf(p), SlotOf(p + 1));
            stack[p + 1] = Entry.Spilled(VClass.Ref, SlotOf(p + 1));
            PushSpilled(VClass.Ref);
        }
        else Duplicate();
        RuntimeInstruction(test, operands, VClass.I32);
        var cond = Condition();
        JumpIf(onFail ? cond.Negate() : cond, LabelAt(label));
        ChargeRest();
    }

    /// <summary>Pushes a copy of the top entry (in its own slot: it is about to be spilled anyway).</summary>
    void Duplicate()
    {
        var top = Top;
        switch (top.Kind)
        {
            case Kind.Const or Kind.Local: Push(top); return;
        }
        Spill(sp - 1);
        CopySlot(stack[sp - 1].Slot, SlotOf(sp));
        PushSpilled(top.Class);
    }

    void CopySlot(int from, int to)
    {
        a.Sse(SseOp.Movdqu, XScratch, SlotMem(from));
        a.Movdqu(SlotMem(to), XScratch);
    }

    // ---- Instructions left to the runtime ----

    /// <summary>The runtime does <paramref name="i"/> (Operations.Execute); how many operands it takes and what it leaves.</summary>
    void Runtime(Instr i)
    {
        var (operands, results) = Shape(i);
        RuntimeInstruction(i, operands, results);
    }

    VClass FieldClass(StorageType t) => t is PackedType ? VClass.I32 : Abi.ClassOf((ValType)t);

    StructType StructOf(uint x) => (StructType)Validation.Types.Expand(func.Module.Types[x]);
    ArrayType ArrayOf(uint x) => (ArrayType)Validation.Types.Expand(func.Module.Types[x]);

    VClass AddrClass(AddrType at) => at == AddrType.I64 ? VClass.I64 : VClass.I32;

    static readonly VClass[] None = [], OneRef = [VClass.Ref], OneI32 = [VClass.I32], OneV128 = [VClass.V128];

    (int Operands, VClass[] Results) Shape(Instr i) => i switch
    {
        RefEq => (2, OneI32),
        RefTest => (1, OneI32),
        RefCast => (1, OneRef),
        RefFunc => (0, OneRef),
        RefI31 => (1, OneRef),
        I31Get => (1, OneI32),
        ExternConvertAny or AnyConvertExtern or RefGetDesc => (1, OneRef),
        RefCastDescEq => (2, OneRef),
        DescriptorTest => (2, OneI32),
        StructNew x => (StructOf(x.TypeIdx).Fields.Length, OneRef),
        StructNewDefault => (0, OneRef),
        StructNewDesc x => (StructOf(x.TypeIdx).Fields.Length + 1, OneRef),
        StructNewDefaultDesc => (1, OneRef),
        StructGet x => (1, [FieldClass(StructOf(x.TypeIdx).Fields[(int)x.Field].Type)]),
        StructSet => (2, None),
        ArrayNew => (2, OneRef),
        ArrayNewDefault => (1, OneRef),
        ArrayNewFixed x => ((int)x.Length, OneRef),
        ArrayNewData or ArrayNewElem => (2, OneRef),
        ArrayGet x => (2, [FieldClass(ArrayOf(x.TypeIdx).Field.Type)]),
        ArraySet => (3, None),
        ArrayLen => (1, OneI32),
        ArrayFill or ArrayInitData or ArrayInitElem => (4, None),
        ArrayCopy => (5, None),
        TableGet => (1, OneRef),
        TableSet => (2, None),
        TableSize x => (0, [AddrClass(mc.Instance.Tables[(int)x.Table].Type.AddrType)]),
        TableGrow x => (2, [AddrClass(mc.Instance.Tables[(int)x.Table].Type.AddrType)]),
        TableFill or TableCopy or TableInit => (3, None),
        ElemDrop or DataDrop => (0, None),
        Syntax.GlobalGet => (0, OneRef),
        Syntax.GlobalSet => (1, None),
        MemoryGrow x => (1, [AddrClass(mc.Instance.Mems[(int)x.Mem].Type.AddrType)]),
        MemoryFill or MemoryCopy or MemoryInit => (3, None),
        Syntax.WideArith { Op: WideOp.Add128 or WideOp.Sub128 } => (4, [VClass.I64, VClass.I64]),
        Syntax.WideArith => (2, [VClass.I64, VClass.I64]),
        VVUnop or VUnop or VExtunop or VCvtop => (1, OneV128),
        VVBinop or VBinop or VRelop or VShiftop or VSwizzlop or VShuffle or VExtbinop or VNarrow or VReplaceLane => (2, OneV128),
        VVTernop or VTernop or VExtternop => (3, OneV128),
        VVTestop or VTestop or VBitmask => (1, OneI32),
        VSplat => (1, OneV128),
        VExtractLane x => (1, [x.Shape.Lane switch
        {
            LaneType.I64 => VClass.I64, LaneType.F32 => VClass.F32, LaneType.F64 => VClass.F64, _ => VClass.I32,
        }]),
        VLoad => (1, OneV128),
        VLoadLane => (2, OneV128),
        VStore or VStoreLane => (2, None),
        MemoryAtomicNotify => (2, OneI32),
        MemoryAtomicWait => (3, OneI32),
        _ => throw new NotCompiledException($"{i.GetType().Name} is not compiled yet"),
    };

    /// <summary>A reference global: read or written by the runtime (it holds an object, not a handle).</summary>
    void GlobalRef(uint x, bool get)
    {
        if (get) RuntimeInstruction(new GlobalGet(x), 0, VClass.Ref);
        else RuntimeInstruction(new GlobalSet(x), 1);
    }
}
