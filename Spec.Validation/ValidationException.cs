using Spec.Syntax;

namespace Spec.Validation;

/// <summary>
/// A module is invalid. <see cref="WasmException.Reason"/> is the testsuite's message, <see cref="Rule"/> the SpecTec
/// rule that failed (e.g. "Instr_ok/br_on_cast"); the position names the function and the instruction's index in a
/// pre-order walk of its body, or the module field.
/// </summary>
public sealed class ValidationException(string reason, string rule, string? position, int? funcIndex = null, int? instrIndex = null)
    : WasmException(Phase.Validate, reason, position)
{
    public string Rule { get; } = rule;

    /// <summary>The function whose body is invalid, if any.</summary>
    public int? FuncIndex { get; } = funcIndex;

    /// <summary>The index of the offending instruction in a pre-order walk of the function body (or expression).</summary>
    public int? InstrIndex { get; } = instrIndex;
}
