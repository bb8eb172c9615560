using Spec.Execution;
using Spec.Native.Compiler;

namespace Spec.Native.Runtime;

// Instructions compiled code leaves to the runtime (references, aggregates, tables, bulk memory): the operands are
// in 16-byte slots from `slots` downwards (operand k at slots - 16k, as the frame's slots descend), the results go
// in their place.

internal static unsafe partial class Helpers
{
    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    public static int Instruction(StoreCells* cells, nint module, int site, byte* slots)
    {
        var js = JitStore.From(cells);
        try
        {
            var m = JitModule.FromHandle(module);
            return Abort(js, new JitUnsupportedException($"{m.Sites[site]}"));
        }
        catch (Exception e) { return Abort(js, e); }
    }
}
