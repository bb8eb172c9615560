using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Spec.Execution;
using Spec.Native.Compiler;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Native.Runtime;

// The runtime functions compiled code calls (System V, through [UnmanagedCallersOnly] function pointers). No .NET
// exception may leave one: each catches everything and reports a status (Stubs.Ok, Abort with the reason in the
// store's JIT state, Caught with a landing pad set). They turn handles into references and back, and use the
// runtime's operations (Spec.Execution), never the interpreter's.

internal static unsafe class HelperAddresses
{
    public static readonly nint FuncCellOf = (nint)(delegate* unmanaged<StoreCells*, ulong, FuncCell*>)&Helpers.FuncCellOf;
    public static readonly nint Instruction = (nint)(delegate* unmanaged<StoreCells*, nint, int, byte*, nint, int>)&Helpers.Instruction;
    public static readonly nint Throw = (nint)(delegate* unmanaged<StoreCells*, nint, int, byte*, int>)&Helpers.Throw;
    public static readonly nint ThrowRef = (nint)(delegate* unmanaged<StoreCells*, ulong, int>)&Helpers.ThrowRef;
    public static readonly nint CatchPayload = (nint)(delegate* unmanaged<StoreCells*, byte*, int, int, void>)&Helpers.CatchPayload;
    public static readonly nint ExnFields = (nint)(delegate* unmanaged<StoreCells*, ulong, byte*, void>)&Helpers.ExnFields;
    public static readonly nint NotCompiled = (nint)(delegate* unmanaged<StoreCells*, nint, int, void>)&Helpers.NotCompiled;
}

internal static unsafe partial class Helpers
{
    /// <summary>Records why the run stops and asks for an unwind.</summary>
    static int Abort(JitStore js, Exception e)
    {
        js.Pending = e;
        return Stubs.Abort;
    }

    /// <summary>The slow path of the stack-limit check: an interruption, a real overflow, or neither.</summary>
    [UnmanagedCallersOnly]
    public static int StackCheck(StoreCells* cells, nint rsp)
    {
        var js = JitStore.From(cells);
        try
        {
            cells->StackLimit = js.Context->RealStackLimit;
            if (js.Store.TakeInterrupt() is { } stop) return Abort(js, new ExhaustionException(stop));
            if (rsp < cells->StackLimit) return Abort(js, new ExhaustionException(TrapCode.CallStackExhausted));
            return Stubs.Ok;
        }
        catch (Exception e) { return Abort(js, e); }
    }

    /// <summary>call_indirect's slow path: a function of a subtype (Step_read/ref.cast-succeed through subtyping), or
    /// one whose cell no engine has prepared yet. "indirect call type mismatch" otherwise.</summary>
    [UnmanagedCallersOnly]
    public static int CheckCallee(StoreCells* cells, FuncCell* cell, int expected)
    {
        var js = JitStore.From(cells);
        try
        {
            var f = FuncOf(cell);
            if (cell->TypeId != expected && !Types.DefSub(f.Type, TypeIds.Type(expected)))
                return Abort(js, Trap(TrapCode.IndirectCallTypeMismatch));
            Jit.Prepare(js, f);
            return Stubs.Ok;
        }
        catch (Exception e) { return Abort(js, e); }
    }

    /// <summary>A trap site's tail: the trap and the frames it passed through, innermost first.</summary>
    [UnmanagedCallersOnly]
    public static void RaiseTrap(StoreCells* cells, int code, long detail, nint pc, nint rbp)
    {
        var js = JitStore.From(cells);
        try
        {
            var c = (TrapCode)code;
            var e = Traps.Exception(c, detail >= 0 ? detail.ToString() : null);
            if (e is TrapException t) t.Frames = Frames(pc, rbp);
            js.Pending = e;
        }
        catch (Exception e) { js.Pending = e; }
    }

    /// <summary>The compiled functions on the native stack from frame <paramref name="rbp"/> (running at <paramref name="pc"/>) outwards.</summary>
    static List<FuncInst> Frames(nint pc, nint rbp)
    {
        var frames = new List<FuncInst>();
        while (rbp != 0 && CodeRegistry.FunctionAt(pc) is { } f)
        {
            frames.Add(f);
            pc = *(nint*)(rbp + 8);
            rbp = *(nint*)rbp;
        }
        return frames;
    }

    static TrapException Trap(TrapCode code) => new(code);

    /// <summary>The function a cell belongs to.</summary>
    static FuncInst FuncOf(FuncCell* cell) => (FuncInst)GCHandle.FromIntPtr(cell->Self).Target!;

    /// <summary>A function that could not be compiled was called: the reason, as the run's failure.</summary>
    [UnmanagedCallersOnly]
    public static void NotCompiled(StoreCells* cells, nint module, int function)
    {
        var js = JitStore.From(cells);
        try
        {
            var m = JitModule.FromHandle(module);
            js.Pending = new JitUnsupportedException($"function {m.Instance.Funcs.Count - m.Defined.Length + function}: {m.NotCompiled[function]}");
        }
        catch (Exception e) { js.Pending = e; }
    }

    /// <summary>call_ref's callee: the cell of the function a handle refers to (prepared), or null for a null reference.</summary>
    [UnmanagedCallersOnly]
    public static FuncCell* FuncCellOf(StoreCells* cells, ulong handle)
    {
        var js = JitStore.From(cells);
        if (js.Deref(handle) is not FuncInst f) return null;
        Jit.Prepare(js, f);
        return f.Slot.Cell;
    }

    // ---- Exceptions ----

    /// <summary>Step/throw: an exception of the site's tag with the fields in the slots, thrown.</summary>
    [UnmanagedCallersOnly]
    public static int Throw(StoreCells* cells, nint module, int site, byte* slots)
    {
        var js = JitStore.From(cells);
        try
        {
            var s = (ThrowSite)JitModule.FromHandle(module).Sites[site];
            var fields = new Value[s.Fields.Length];
            for (int k = 0; k < fields.Length; k++) fields[k] = js.Read(slots - Abi.SlotSize * k, s.Fields[k]);
            return js.Throw(new ExnInst(s.Tag, fields));
        }
        catch (Exception e) { return Abort(js, e); }
    }

    /// <summary>Step_read/throw_ref: the exception a handle names, thrown again; "null exception reference" for null.</summary>
    [UnmanagedCallersOnly]
    public static int ThrowRef(StoreCells* cells, ulong handle)
    {
        var js = JitStore.From(cells);
        try
        {
            return js.Deref(handle) is ExnInst exn ? js.Throw(exn) : Abort(js, Trap(TrapCode.NullExceptionReference));
        }
        catch (Exception e) { return Abort(js, e); }
    }

    /// <summary>At a landing pad: the caught exception's fields (when <paramref name="fields"/>) then its reference (when
    /// <paramref name="reference"/>) into the slots from <paramref name="slots"/> down.</summary>
    [UnmanagedCallersOnly]
    public static void CatchPayload(StoreCells* cells, byte* slots, int fields, int reference)
    {
        var js = JitStore.From(cells);
        var exn = js.Caught!;
        int k = 0;
        if (fields != 0)
            foreach (var v in exn.Fields) js.Write(slots - Abi.SlotSize * k++, v);
        if (reference != 0) js.Write(slots - Abi.SlotSize * k, Value.Reference(exn));
    }

    /// <summary>A legacy catch clause: the fields of the exception a handle names, into the slots from <paramref name="slots"/> down.</summary>
    [UnmanagedCallersOnly]
    public static void ExnFields(StoreCells* cells, ulong handle, byte* slots)
    {
        var js = JitStore.From(cells);
        var exn = (ExnInst)js.Deref(handle)!;
        int k = 0;
        foreach (var v in exn.Fields) js.Write(slots - Abi.SlotSize * k++, v);
    }

    // ---- Host calls ----

    /// <summary>Compiled code calls host function <paramref name="cell"/>: arguments and results in 16-byte slots;
    /// <paramref name="stubRbp"/> is the host stub's frame, whose caller is compiled code.</summary>
    [UnmanagedCallersOnly]
    public static int HostCall(StoreCells* cells, FuncCell* cell, byte* buffer, nint stubRbp)
    {
        var js = JitStore.From(cells);
        try
        {
            var f = FuncOf(cell);
            var ft = f.FuncType;
            var args = new Value[ft.Params.Length];
            for (int k = 0; k < args.Length; k++) args[k] = js.Read(buffer + Abi.SlotSize * k, ft.Params[k]);
            if (js.HandlesFull)
            {
                // The host stub's caller is the innermost compiled frame; finding its roots is a search, done only here.
                nint callerRbp = *(nint*)stubRbp, returnAddress = *(nint*)(stubRbp + 8);
                js.CollectHandles(callerRbp, CodeRegistry.ModuleAt(returnAddress)?.RootsAt(returnAddress) ?? []);
            }
            IReadOnlyList<Value> results;
            try { results = f.CallHost(args); }
            catch (UncaughtWasmException e) { return js.Throw(e.Exception); }
            for (int k = 0; k < results.Count; k++) js.Write(buffer + Abi.SlotSize * k, results[k]);
            return Stubs.Ok;
        }
        catch (Exception e) { return Abort(js, e); }
    }
}
