using Spec.Syntax;

namespace Spec.Execution;

// The ways execution ends other than with values (§4.4.10, §A.1): a failed link, a trap, resource
// exhaustion, an uncaught Wasm exception, or a host function that failed. Every trap and exhaustion an engine
// can raise is one TrapCode, and its wording (the testsuite's) is in one table, so both engines and native code
// report the same fault the same way.

/// <summary>Why execution stopped abnormally: the spec's traps, then the resources an implementation may run out of.</summary>
public enum TrapCode : byte
{
    Unreachable = 1,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversionToInteger,
    OutOfBoundsMemoryAccess,
    OutOfBoundsTableAccess,
    /// <summary>call_indirect: the index is past the table's end (Step_read/table.get-oob as call_indirect reduces).</summary>
    UndefinedElement,
    /// <summary>call_indirect: the table entry is null.</summary>
    UninitializedElement,
    IndirectCallTypeMismatch,
    NullFunctionReference,
    NullReference,
    NullI31Reference,
    NullStructureReference,
    NullArrayReference,
    NullExceptionReference,
    OutOfBoundsArrayAccess,
    CastFailure,
    NullDescriptorReference,
    DescriptorCastFailure,
    UnalignedAtomic,
    ExpectedSharedMemory,
    /// <summary>A host function raised a trap of its own (its message says why).</summary>
    HostTrap,

    // Exhaustion: not the program's fault but the implementation's limits (§A.1 "resource exhaustion").
    CallStackExhausted = 64,
    FuelExhausted,
    OutOfMemory,
    TableSizeLimit,
    /// <summary>The embedder interrupted execution (an epoch deadline, a timeout, a cancellation).</summary>
    Interrupted,
    /// <summary>A limit of the store's policy (StorePolicy) would be passed; the detail names it.</summary>
    StoreLimit,
    /// <summary>The store's deadline passed (Store.SetDeadline).</summary>
    DeadlineExceeded,
}

/// <summary>The one table of trap messages, and the exception each code is reported as.</summary>
public static class Traps
{
    /// <summary>The testsuite's wording of <paramref name="code"/>.</summary>
    public static string Message(TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable",
        TrapCode.IntegerDivideByZero => "integer divide by zero",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.InvalidConversionToInteger => "invalid conversion to integer",
        TrapCode.OutOfBoundsMemoryAccess => "out of bounds memory access",
        TrapCode.OutOfBoundsTableAccess => "out of bounds table access",
        TrapCode.UndefinedElement => "undefined element",
        TrapCode.UninitializedElement => "uninitialized element",
        TrapCode.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapCode.NullFunctionReference => "null function reference",
        TrapCode.NullReference => "null reference",
        TrapCode.NullI31Reference => "null i31 reference",
        TrapCode.NullStructureReference => "null structure reference",
        TrapCode.NullArrayReference => "null array reference",
        TrapCode.NullExceptionReference => "null exception reference",
        TrapCode.OutOfBoundsArrayAccess => "out of bounds array access",
        TrapCode.CastFailure => "cast failure",
        TrapCode.NullDescriptorReference => "null descriptor reference",
        TrapCode.DescriptorCastFailure => "descriptor cast failure",
        TrapCode.UnalignedAtomic => "unaligned atomic",
        TrapCode.ExpectedSharedMemory => "expected shared memory",
        TrapCode.HostTrap => "host trap",
        TrapCode.CallStackExhausted => "call stack exhausted",
        TrapCode.FuelExhausted => "fuel exhausted",
        TrapCode.OutOfMemory => "out of memory",
        TrapCode.TableSizeLimit => "table size exceeds the limit",
        TrapCode.StoreLimit => "store limit reached",
        TrapCode.Interrupted => "interrupted",
        TrapCode.DeadlineExceeded => "deadline exceeded",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a trap code"),
    };

    /// <summary>Whether <paramref name="code"/> is resource exhaustion rather than a trap.</summary>
    public static bool IsExhaustion(TrapCode code) => code >= TrapCode.CallStackExhausted;

    /// <summary>The exception that reports <paramref name="code"/>: a <see cref="TrapException"/> or an <see cref="ExhaustionException"/>.</summary>
    public static WasmException Exception(TrapCode code, string? detail = null) =>
        IsExhaustion(code) ? new ExhaustionException(code, detail) : new TrapException(code, detail);
}

/// <summary>Instantiation could not match the imports: "unknown import", "incompatible import type".</summary>
public sealed class LinkException(string reason, string? position = null)
    : WasmException(Phase.Link, reason, position);

/// <summary>A trap (TRAP reached the top of the configuration): "unreachable", "integer divide by zero", ...
/// <see cref="Reason"/> is the code's message, followed by <c>detail</c> when there is one ("uninitialized element 7").</summary>
public class TrapException : WasmException
{
    public TrapException(TrapCode code, string? detail = null, string? position = null, Phase phase = Phase.Execute)
        : base(phase, detail is null ? Traps.Message(code) : $"{Traps.Message(code)} {detail}", position)
    {
        if (Traps.IsExhaustion(code)) throw new ArgumentException("exhaustion is not a trap", nameof(code));
        Code = code;
    }

    /// <summary>A trap a host function raises with its own message.</summary>
    public TrapException(string hostReason, string? position = null)
        : base(Phase.Execute, hostReason, position) => Code = TrapCode.HostTrap;

    /// <summary>The same trap, reported as arising in another phase (a start function traps during instantiation).</summary>
    public TrapException(TrapException t, Phase phase)
        : base(phase, t.Reason, t.Position)
    {
        Code = t.Code;
        Frames = t.Frames;
    }

    public TrapCode Code { get; }

    /// <summary>The functions whose frames were on the stack when the trap occurred, innermost first.</summary>
    public IReadOnlyList<FuncInst> Frames { get; internal set; } = [];
}

/// <summary>A resource ran out: "call stack exhausted", "fuel exhausted", "out of memory", or execution was interrupted.</summary>
public sealed class ExhaustionException : WasmException
{
    public ExhaustionException(TrapCode code, string? detail = null, string? position = null)
        : base(Phase.Execute, detail is null ? Traps.Message(code) : $"{Traps.Message(code)}: {detail}", position)
    {
        if (!Traps.IsExhaustion(code)) throw new ArgumentException("a trap is not exhaustion", nameof(code));
        Code = code;
    }

    public TrapCode Code { get; }
}

/// <summary>A Wasm exception (THROW_REF of an exception address) reached the host uncaught.</summary>
public sealed class UncaughtWasmException(ExnInst exception)
    : WasmException(Phase.Execute, "uncaught exception", null)
{
    /// <summary>The exception instance: its tag and payload.</summary>
    public ExnInst Exception { get; } = exception;
}

/// <summary>A host function threw; the host's exception is <see cref="Exception.InnerException"/>.</summary>
public sealed class HostException(Exception inner)
    : WasmException(Phase.Execute, "host function failed: " + inner.Message, null, inner);
