using Spec.Syntax;

namespace Spec.Validation;

// §3.4 Instructions (spectec 2.3-validation.instructions): Instr_ok dispatches each instruction to its rule.
// The rules live in one file per section (Instructions.Numeric.cs, ...); every rule names itself via Rule(...).

internal sealed partial class Checker
{
    void Instr_ok(Instr instr)
    {
        switch (instr)
        {
            // Variable instructions first: they are the most frequent.
            case LocalGet i: LocalGet_ok(i); break;
            case LocalSet i: LocalSet_ok(i); break;
            case LocalTee i: LocalTee_ok(i); break;
            case GlobalGet i: GlobalGet_ok(i); break;
            case GlobalSet i: GlobalSet_ok(i); break;

            // Numeric
            case Const i: Const_ok(i); break;
            case Binop i: Binop_ok(i); break;
            case Relop i: Relop_ok(i); break;
            case Unop i: Unop_ok(i); break;
            case Testop i: Testop_ok(i); break;
            case Cvtop i: Cvtop_ok(i); break;
            case WideArith i: Proposal(features.WideArithmetic, "wide-arithmetic"); WideArith_ok(i); break;

            // Memory
            case Load i: Load_ok(i); break;
            case Atomic i: Proposal(features.Threads, "threads"); Atomic_ok(i); break;
            case MemoryAtomicNotify i: Proposal(features.Threads, "threads"); MemoryAtomicNotify_ok(i); break;
            case MemoryAtomicWait i: Proposal(features.Threads, "threads"); MemoryAtomicWait_ok(i); break;
            case AtomicFence: Rule("Instr_ok/atomic.fence"); Proposal(features.Threads, "threads"); break;
            case Store i: Store_ok(i); break;
            case MemorySize i: MemorySize_ok(i); break;
            case MemoryGrow i: MemoryGrow_ok(i); break;
            case MemoryFill i: MemoryFill_ok(i); break;
            case MemoryCopy i: MemoryCopy_ok(i); break;
            case MemoryInit i: MemoryInit_ok(i); break;
            case DataDrop i: DataDrop_ok(i); break;

            // Control
            case Block i: Block_ok(i); break;
            case Loop i: Loop_ok(i); break;
            case If i: If_ok(i); break;
            case Br i: Br_ok(i); break;
            case BrIf i: BrIf_ok(i); break;
            case BrTable i: BrTable_ok(i); break;
            case Call i: Call_ok(i); break;
            case CallIndirect i: CallIndirect_ok(i); break;
            case Return: Return_ok(); break;
            case BrOnNull i: BrOnNull_ok(i); break;
            case BrOnNonNull i: BrOnNonNull_ok(i); break;
            case BrOnCast i: BrOnCast_ok(i); break;
            case BrOnCastFail i: BrOnCastFail_ok(i); break;
            case BrOnCastDescEq i: Proposal(features.CustomDescriptors, "custom-descriptors"); BrOnCastDescEq_ok(i); break;
            case BrOnCastDescEqFail i: Proposal(features.CustomDescriptors, "custom-descriptors"); BrOnCastDescEqFail_ok(i); break;
            case CallRef i: CallRef_ok(i); break;
            case ReturnCall i: ReturnCall_ok(i); break;
            case ReturnCallRef i: ReturnCallRef_ok(i); break;
            case ReturnCallIndirect i: ReturnCallIndirect_ok(i); break;

            // Parametric
            case Drop: Drop_ok(); break;
            case Select i: Select_ok(i); break;
            case Nop: Rule("Instr_ok/nop"); break;
            case Unreachable: Rule("Instr_ok/unreachable"); SetUnreachable(); break;

            // Exceptions
            case Throw i: Throw_ok(i); break;
            case ThrowRef: ThrowRef_ok(); break;
            case TryTable i: TryTable_ok(i); break;
            case LegacyTry i: Proposal(features.LegacyExceptions, "legacy-exceptions"); LegacyTry_ok(i); break;
            case LegacyTryDelegate i: Proposal(features.LegacyExceptions, "legacy-exceptions"); LegacyTryDelegate_ok(i); break;
            case LegacyRethrow i: Proposal(features.LegacyExceptions, "legacy-exceptions"); LegacyRethrow_ok(i); break;

            // Tables
            case TableGet i: TableGet_ok(i); break;
            case TableSet i: TableSet_ok(i); break;
            case TableSize i: TableSize_ok(i); break;
            case TableGrow i: TableGrow_ok(i); break;
            case TableFill i: TableFill_ok(i); break;
            case TableCopy i: TableCopy_ok(i); break;
            case TableInit i: TableInit_ok(i); break;
            case ElemDrop i: ElemDrop_ok(i); break;

            // References and aggregates
            case RefNull i: RefNull_ok(i); break;
            case RefIsNull: RefIsNull_ok(); break;
            case RefAsNonNull: RefAsNonNull_ok(); break;
            case RefEq: RefEq_ok(); break;
            case RefTest i: RefTest_ok(i); break;
            case RefCast i: RefCast_ok(i); break;
            case RefCastDescEq i: Proposal(features.CustomDescriptors, "custom-descriptors"); RefCastDescEq_ok(i); break;
            case RefGetDesc i: Proposal(features.CustomDescriptors, "custom-descriptors"); RefGetDesc_ok(i); break;
            case RefFunc i: RefFunc_ok(i); break;
            case RefI31: RefI31_ok(); break;
            case I31Get: I31Get_ok(); break;
            case StructNew i: StructNew_ok(i); break;
            case StructNewDefault i: StructNewDefault_ok(i); break;
            case StructNewDesc i: Proposal(features.CustomDescriptors, "custom-descriptors"); StructNewDesc_ok(i); break;
            case StructNewDefaultDesc i: Proposal(features.CustomDescriptors, "custom-descriptors"); StructNewDefaultDesc_ok(i); break;
            case StructGet i: StructGet_ok(i); break;
            case StructSet i: StructSet_ok(i); break;
            case ArrayNew i: ArrayNew_ok(i); break;
            case ArrayNewDefault i: ArrayNewDefault_ok(i); break;
            case ArrayNewFixed i: ArrayNewFixed_ok(i); break;
            case ArrayNewData i: ArrayNewData_ok(i); break;
            case ArrayNewElem i: ArrayNewElem_ok(i); break;
            case ArrayGet i: ArrayGet_ok(i); break;
            case ArraySet i: ArraySet_ok(i); break;
            case ArrayLen: ArrayLen_ok(); break;
            case ArrayFill i: ArrayFill_ok(i); break;
            case ArrayCopy i: ArrayCopy_ok(i); break;
            case ArrayInitData i: ArrayInitData_ok(i); break;
            case ArrayInitElem i: ArrayInitElem_ok(i); break;
            case ExternConvertAny: ExternConvertAny_ok(); break;
            case AnyConvertExtern: AnyConvertExtern_ok(); break;

            // Vector
            case VLoad i: VLoad_ok(i); break;
            case VLoadLane i: VLoadLane_ok(i); break;
            case VStore i: VStore_ok(i); break;
            case VStoreLane i: VStoreLane_ok(i); break;
            default: Vector(instr); break;
        }
    }

    // An instruction of a proposal is no instruction of Wasm 3.0: invalid unless its feature is switched on.
    void Proposal(bool enabled, string feature)
    {
        if (!enabled) Fail($"{feature} is not enabled: the instruction belongs to that proposal");
    }
}
