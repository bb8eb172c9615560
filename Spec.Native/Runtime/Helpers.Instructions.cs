using Spec.Execution;
using Spec.Native.Compiler;

namespace Spec.Native.Runtime;

// Instructions compiled code leaves to the runtime (references, aggregates, tables, bulk memory): the operands are
// in 16-byte slots from `slots` downwards (operand k at slots - 16k, as the frame's slots descend), the results go
// in their place.

/// <summary>What the runtime needs to do one instruction for compiled code: the instruction and the classes of its operands.</summary>
internal sealed record RuntimeSite(Spec.Syntax.Instr Instr, VClass[] Operands, int[] Roots);

internal static unsafe partial class Helpers
{
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    public static int Instruction(StoreCells* cells, nint module, int site, byte* slots, nint rbp)
    {
        var js = JitStore.From(cells);
        try
        {
            var m = JitModule.FromHandle(module);
            var s = (RuntimeSite)m.Sites[site];
            var args = new Value[s.Operands.Length];
            for (int k = 0; k < args.Length; k++) args[k] = js.Read(slots - Abi.SlotSize * k, s.Operands[k]);
            js.CollectHandlesIfFull(rbp, s.Roots);
            js.site = (rbp, s.Roots);
            Value[] results;
            try { results = Operations.Execute(js.Store, m.Instance, s.Instr, args); }
            finally { js.site = default; }
            for (int k = 0; k < results.Length; k++) js.Write(slots - Abi.SlotSize * k, results[k]);
            return Stubs.Ok;
        }
        catch (Exception e) { return Abort(js, e); }
    }
}
