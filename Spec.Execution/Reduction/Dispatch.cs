using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// The instructions without a hot path of their own (tables, references, aggregates, vectors, bulk memory),
// dispatched on their syntax record. Each arm is one rule family; the step advances the pc afterwards.

public sealed partial class Interpreter
{
    string StepOther(in Inst inst) => inst.I switch
    {
        // Tables (§4.4.6)
        TableGet x => StepTableGet(x),
        TableSet x => StepTableSet(x),
        TableSize x => StepTableSize(x),
        TableGrow x => StepTableGrow(x),
        TableFill x => StepTableFill(x),
        TableCopy x => StepTableCopy(x),
        TableInit x => StepTableInit(x),
        ElemDrop x => StepElemDrop(x),
        // Memory (§4.4.7)
        VLoad x => StepVLoad(x),
        VLoadLane x => StepVLoadLane(x),
        VStore x => StepVStore(x),
        VStoreLane x => StepVStoreLane(x),
        MemorySize x => StepMemorySize(x),
        MemoryGrow x => StepMemoryGrow(x),
        MemoryFill x => StepMemoryFill(x),
        MemoryCopy x => StepMemoryCopy(x),
        MemoryInit x => StepMemoryInit(x),
        DataDrop x => StepDataDrop(x),
        // The threads proposal's atomics
        Atomic x => StepAtomic(x),
        MemoryAtomicNotify x => StepMemoryAtomicNotify(x),
        MemoryAtomicWait x => StepMemoryAtomicWait(x),
        AtomicFence => StepAtomicFence(),
        // References (§4.4.4)
        RefNull => StepRefNull(),
        RefIsNull => StepRefIsNull(),
        RefAsNonNull => StepRefAsNonNull(),
        RefEq => StepRefEq(),
        RefTest => StepRefTest((RefType)inst.O!),
        RefCast => StepRefCast((RefType)inst.O!),
        RefCastDescEq x => StepRefCastDescEq(x),
        RefGetDesc => StepRefGetDesc(),
        RefFunc x => StepRefFunc(x),
        RefI31 => StepRefI31(),
        I31Get x => StepI31Get(x),
        ExternConvertAny => StepExternConvertAny(),
        AnyConvertExtern => StepAnyConvertExtern(),
        // Aggregates (§4.4.5)
        StructNew x => StepStructNew(x),
        StructNewDefault x => StepStructNewDefault(x),
        StructNewDesc x => StepStructNewDesc(x),
        StructNewDefaultDesc x => StepStructNewDefaultDesc(x),
        StructGet x => StepStructGet(x),
        StructSet x => StepStructSet(x),
        ArrayNew x => StepArrayNew(x),
        ArrayNewDefault x => StepArrayNewDefault(x),
        ArrayNewFixed x => StepArrayNewFixed(x),
        ArrayNewData x => StepArrayNewData(x),
        ArrayNewElem x => StepArrayNewElem(x),
        ArrayGet x => StepArrayGet(x),
        ArraySet x => StepArraySet(x),
        ArrayLen => StepArrayLen(),
        ArrayFill x => StepArrayFill(x),
        ArrayCopy x => StepArrayCopy(x),
        ArrayInitData x => StepArrayInitData(x),
        ArrayInitElem x => StepArrayInitElem(x),
        // Vectors (§4.4.3)
        VVUnop x => StepVVUnop(x),
        VVBinop x => StepVVBinop(x),
        VVTernop x => StepVVTernop(x),
        VVTestop x => StepVVTestop(x),
        VUnop x => StepVUnop(x),
        VBinop x => StepVBinop(x),
        VTernop x => StepVTernop(x),
        VTestop x => StepVTestop(x),
        VRelop x => StepVRelop(x),
        VShiftop x => StepVShiftop(x),
        VBitmask x => StepVBitmask(x),
        VSwizzlop x => StepVSwizzlop(x),
        VShuffle x => StepVShuffle(x),
        VExtunop x => StepVExtunop(x),
        VExtbinop x => StepVExtbinop(x),
        VExtternop x => StepVExtternop(x),
        VNarrow x => StepVNarrow(x),
        VCvtop x => StepVCvtop(x),
        VSplat x => StepVSplat(x),
        VExtractLane x => StepVExtractLane(x),
        VReplaceLane x => StepVReplaceLane(x),
        _ => throw new InvalidOperationException($"no rule for {inst.I}"),
    };
}
