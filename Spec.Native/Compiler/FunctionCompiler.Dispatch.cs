using Spec.Native.Runtime;
using Spec.Syntax;

namespace Spec.Native.Compiler;

// Which code each instruction becomes: one arm per instruction (family), as the interpreter has one per rule.

internal sealed partial class FunctionCompiler
{
    void Instruction(Instr instr)
    {
        mc.Marks?.Add(new JitMark(a.Position, instr, null));
        // A comparison stays in the flags only for the instruction right after it, if that one branches or selects on it.
        if (instr is not (Syntax.BrIf or Syntax.If or Syntax.Select or Syntax.Testop)) MaterializeFlags();
        // The most frequent instructions first (locals, numerics, memory, branches, calls, globals, blocks):
        // a type switch tests its cases in order.
        switch (instr)
        {
            case LocalGet g: LocalGet(g.Local); break;
            case LocalSet s: LocalSet(s.Local); break;
            case Const c: Const(c); break;
            case Binop b: Binop(b); break;
            case LocalTee t: LocalTee(t.Local); break;
            case Load l: Load(l); break;
            case Syntax.Store s: Store(s); break;
            case BrIf b: BrIf(b); break;
            case Call c: Call(c.Func, tail: false); break;
            case Relop r: Relop(r); break;
            case Testop t: Testop(t); break;
            case GlobalGet g: GlobalGet(g.Global); break;
            case GlobalSet s: GlobalSet(s.Global); break;
            case Block b: Block(b); break;
            case Loop l: Loop(l); break;
            case If f: If(f); break;
            case Br b: Br(b); break;
            // Parametric (§4.4.2)
            case Nop: break;
            case Syntax.Unreachable: Unreachable(); break;
            case Syntax.Drop: Drop(); break;
            case Syntax.Select: Select(); break;
            // Control (§4.4.8)
            case BrTable t: BrTable(t); break;
            case Syntax.Return: Return(); break;
            case ReturnCall c: Call(c.Func, tail: true); break;
            case CallIndirect c: CallIndirect(c.Table, c.TypeIdx, tail: false); break;
            case ReturnCallIndirect c: CallIndirect(c.Table, c.TypeIdx, tail: true); break;
            case CallRef c: CallRef(c.TypeIdx, tail: false); break;
            case ReturnCallRef c: CallRef(c.TypeIdx, tail: true); break;
            // Memory (§4.4.7)
            case MemorySize m: MemorySize(m); break;
            // Numeric (§4.4.1)
            case Unop u: Unop(u); break;
            case Cvtop c: Cvtop(c); break;
            // Exceptions (§4.4.9) and the legacy exception instructions
            case TryTable t: TryTable(t); break;
            case Throw t: Throw(t); break;
            case Syntax.ThrowRef: ThrowRef(); break;
            case LegacyTry t: LegacyTry(t); break;
            case LegacyTryDelegate t: LegacyTryDelegate(t); break;
            case LegacyRethrow r: LegacyRethrow(r); break;
            case VConst v: Push(Entry.Constant(VClass.V128, v.Value.Lo, v.Value.Hi)); break;
            // References (§4.4.4)
            case Syntax.RefNull: RefNull(); break;
            case Syntax.RefIsNull: RefIsNull(); break;
            case Syntax.RefAsNonNull: RefAsNonNull(); break;
            case BrOnNull b: BrOnNull(b.Label); break;
            case BrOnNonNull b: BrOnNonNull(b.Label); break;
            case BrOnCast b: BrOnCast(b.Label, new RefTest(b.To), 1, onFail: false); break;
            case BrOnCastFail b: BrOnCast(b.Label, new RefTest(b.To), 1, onFail: true); break;
            case BrOnCastDescEq b: BrOnCast(b.Label, new DescriptorTest(b.To), 2, onFail: false); break;
            case BrOnCastDescEqFail b: BrOnCast(b.Label, new DescriptorTest(b.To), 2, onFail: true); break;
            // Vectors (§4.4.3)
            case VVUnop or VVBinop or VVTernop or VVTestop or VUnop or VBinop or VTernop or VTestop or VRelop or VShiftop
                or VBitmask or VSwizzlop or VShuffle or VExtunop or VExtbinop or VExtternop or VNarrow or VCvtop or VSplat
                or VExtractLane or VReplaceLane or VLoad or VLoadLane or VStore or VStoreLane:
                Vector(instr);
                break;
            // The threads proposal's atomic accesses and fence (wait and notify go to the runtime)
            case Atomic x: AtomicAccess(x); break;
            case AtomicFence: a.Mfence(); break;
            // Everything else that allocates, looks at objects, or touches many bytes: the runtime
            default: Runtime(instr); break;
        }
    }
}
