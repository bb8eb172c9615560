using Spec.Syntax;

namespace Spec.Execution;

// The ways execution ends other than with values (§4.4.10, §A.1): a failed link, a trap, resource
// exhaustion, an uncaught Wasm exception, or a host function that failed. Reason is the testsuite's text.

/// <summary>Instantiation could not match the imports: "unknown import", "incompatible import type".</summary>
public sealed class LinkException(string reason, string? position = null)
    : WasmException(Phase.Link, reason, position);

/// <summary>A trap (TRAP reached the top of the configuration): "unreachable", "integer divide by zero", ...</summary>
public class TrapException(string reason, string? position = null, Phase phase = Phase.Execute)
    : WasmException(phase, reason, position)
{
    /// <summary>The functions whose frames were on the stack when the trap occurred, innermost first.</summary>
    public IReadOnlyList<FuncInst> Frames { get; internal set; } = [];
}

/// <summary>A resource ran out: "call stack exhausted", "fuel exhausted", "out of memory".</summary>
public sealed class ExhaustionException(string reason, string? position = null)
    : WasmException(Phase.Execute, reason, position);

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
