using System.Runtime.CompilerServices;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;

namespace WasmSpec;

// The errors of the embedding API, as the JS API names them: a module that does not compile, imports that do not
// link, a trap, and exhaustion (a trap caused by a limit rather than by the program). The chapters' own exception
// types stay inside: every one is translated here, once, into one of these; the chapter's exception is kept only
// as the inner exception.

/// <summary>The root of every error this API raises about WebAssembly.</summary>
public abstract class WasmError(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A module that does not decode, parse or validate.</summary>
public sealed class CompileError(string message, string? rule, string? position, Exception? inner = null)
    : WasmError(message, inner)
{
    /// <summary>The validation rule that rejected the module (SpecTec name, e.g. <c>Instr_ok/local.get</c>); null for a malformed module.</summary>
    public string? Rule { get; } = rule;

    /// <summary>Where: a byte offset (<c>0x1c</c>) of a binary module, <c>line:column</c> of a text one, or the function and instruction.</summary>
    public string? Position { get; } = position;
}

/// <summary>The imports could not be matched: an undefined import or one of the wrong type.</summary>
public sealed class LinkError(string message, string? importModule = null, string? importName = null, Exception? inner = null)
    : WasmError(message, inner)
{
    /// <summary>The import's module name, when one import is at fault.</summary>
    public string? ImportModule { get; } = importModule;

    /// <summary>The import's field name, when one import is at fault.</summary>
    public string? ImportName { get; } = importName;
}

/// <summary>
/// One frame of a trap's backtrace: a function of a module instance, innermost first, with the byte offset of its body
/// in the module's binary (<see cref="CodeOffset"/>; null for a host function).
/// </summary>
public sealed record Frame(string? ModuleName, int FunctionIndex, string? FunctionName, int? CodeOffset = null)
{
    /// <summary><c>0xOFFSET - module!function</c>, with <c>&lt;wasm function N&gt;</c> where the name section gives no name.</summary>
    public override string ToString() =>
        $"{(CodeOffset is { } at ? $"0x{at:x}" : "0x?")} - {ModuleName ?? "<module>"}!{FunctionName ?? (FunctionIndex < 0 ? "<host function>" : $"<wasm function {FunctionIndex}>")}";
}

/// <summary>Execution stopped abnormally: a trap of the program, or (as <see cref="Exhaustion"/>) a limit.</summary>
public class Trap(TrapCode code, string message, IReadOnlyList<Frame> frames, Exception? inner = null)
    : WasmError(message, inner)
{
    /// <summary>Why execution stopped.</summary>
    public TrapCode Code { get; } = code;

    /// <summary>The Wasm functions on the stack when it stopped, innermost first.</summary>
    public IReadOnlyList<Frame> Frames { get; } = frames;

    /// <summary>The backtrace one frame a line, as the command line prints it: <c>#0 0x2a - module!function</c>.</summary>
    public string Backtrace => string.Join("\n", Frames.Select((f, k) => $"#{k} {f}"));
}

/// <summary>A resource or limit ran out: the call stack, fuel, a store limit, the epoch deadline, a timeout, a cancellation.</summary>
public sealed class Exhaustion(TrapCode code, string message, Exception? inner = null)
    : Trap(code, message, [], inner);

/// <summary>
/// Why execution stopped: the spec's traps, then what the embedder and the implementation limit. The values are those
/// of the runtime's own codes, so a code reads the same in a backtrace of either engine.
/// </summary>
public enum TrapCode : byte
{
    Unreachable = Spec.Execution.TrapCode.Unreachable,
    IntegerDivideByZero = Spec.Execution.TrapCode.IntegerDivideByZero,
    IntegerOverflow = Spec.Execution.TrapCode.IntegerOverflow,
    InvalidConversionToInteger = Spec.Execution.TrapCode.InvalidConversionToInteger,
    OutOfBoundsMemoryAccess = Spec.Execution.TrapCode.OutOfBoundsMemoryAccess,
    OutOfBoundsTableAccess = Spec.Execution.TrapCode.OutOfBoundsTableAccess,
    UndefinedElement = Spec.Execution.TrapCode.UndefinedElement,
    UninitializedElement = Spec.Execution.TrapCode.UninitializedElement,
    IndirectCallTypeMismatch = Spec.Execution.TrapCode.IndirectCallTypeMismatch,
    NullFunctionReference = Spec.Execution.TrapCode.NullFunctionReference,
    NullReference = Spec.Execution.TrapCode.NullReference,
    NullI31Reference = Spec.Execution.TrapCode.NullI31Reference,
    NullStructureReference = Spec.Execution.TrapCode.NullStructureReference,
    NullArrayReference = Spec.Execution.TrapCode.NullArrayReference,
    NullExceptionReference = Spec.Execution.TrapCode.NullExceptionReference,
    OutOfBoundsArrayAccess = Spec.Execution.TrapCode.OutOfBoundsArrayAccess,
    CastFailure = Spec.Execution.TrapCode.CastFailure,
    NullDescriptorReference = Spec.Execution.TrapCode.NullDescriptorReference,
    DescriptorCastFailure = Spec.Execution.TrapCode.DescriptorCastFailure,
    UnalignedAtomic = Spec.Execution.TrapCode.UnalignedAtomic,
    ExpectedSharedMemory = Spec.Execution.TrapCode.ExpectedSharedMemory,
    /// <summary>A host function threw; its exception is the trap's inner exception.</summary>
    HostTrap = Spec.Execution.TrapCode.HostTrap,
    /// <summary>A Wasm exception (<c>throw</c>) reached the host uncaught.</summary>
    UncaughtException = 63,
    CallStackExhausted = Spec.Execution.TrapCode.CallStackExhausted,
    FuelExhausted = Spec.Execution.TrapCode.FuelExhausted,
    OutOfMemory = Spec.Execution.TrapCode.OutOfMemory,
    TableSizeLimit = Spec.Execution.TrapCode.TableSizeLimit,
    /// <summary>The epoch deadline passed (<see cref="Engine.IncrementEpoch"/>), or a cancellation token fired.</summary>
    Interrupted = Spec.Execution.TrapCode.Interrupted,
    StoreLimit = Spec.Execution.TrapCode.StoreLimit,
    /// <summary>The store's timeout passed.</summary>
    DeadlineExceeded = Spec.Execution.TrapCode.DeadlineExceeded,
}

/// <summary>The one translation from the chapters' exceptions to this API's errors.</summary>
internal static class Errors
{
    /// <summary>Which syntax module each instance came from, for the names of backtrace frames.</summary>
    static readonly ConditionalWeakTable<ModuleInstance, Module> Sources = new();

    public static void Remember(ModuleInstance instance, Module module) => Sources.AddOrUpdate(instance, module);

    /// <summary>A failed decode, parse or validation as a <see cref="CompileError"/>.</summary>
    public static CompileError Compile(WasmException e) => e switch
    {
        ValidationException v => new CompileError($"invalid module: {v.Reason} (rule {v.Rule}{At(v.Position)})", v.Rule, v.Position, v),
        DecodeException d => new CompileError($"malformed binary module: {d.Reason}{At(d.Position)}", null, d.Position, d),
        ParseException p => new CompileError($"malformed text module: {p.Reason}{At(p.Position)}", null, p.Position, p),
        _ => new CompileError($"module not compiled: {e.Reason}", null, e.Position, e),
    };

    static string At(string? position) => position is null ? "" : $" at {position}";

    /// <summary>An error raised while running Wasm (or instantiating it) as this API's error.</summary>
    public static Exception Run(Exception e) => e switch
    {
        WasmError mine => mine,
        HostException { InnerException: WasmError mine } => mine,
        HostException h => new Trap(TrapCode.HostTrap, $"host function failed: {h.InnerException?.Message}", [], h.InnerException),
        TrapException t => new Trap((TrapCode)t.Code, t.Reason, FramesOf(t.Frames), t),
        ExhaustionException x => new Exhaustion((TrapCode)x.Code, x.Reason, x),
        UncaughtWasmException u => new Trap(TrapCode.UncaughtException, "uncaught exception", [], u),
        LinkException l => new LinkError($"link error: {l.Message}", inner: l),
        WasmException w when w.Phase is Phase.Parse or Phase.Decode or Phase.Validate => Compile(w),
        WasmException w => new CompileError($"module not compiled: {w.Reason}", null, w.Position, w),
        _ => e,
    };

    static Frame[] FramesOf(IReadOnlyList<FuncInst> frames) => [.. frames.Select(FrameOf)];

    /// <summary>A frame by the function's index in its instance and the names its module's name section gives.</summary>
    public static Frame FrameOf(FuncInst f)
    {
        int index = -1;
        for (int k = 0; k < f.Module.Funcs.Count; k++) if (ReferenceEquals(f.Module.Funcs[k], f)) { index = k; break; }
        if (!Sources.TryGetValue(f.Module, out var m)) return new Frame(null, index, null);
        return index < 0
            ? new Frame(m.Name, index, null)
            : new Frame(m.Name, index, m.Syntax.Names.FuncName((uint)index), m.BodyOffset(index));
    }
}
