using Spec.Syntax;

namespace Spec.TextFormat;

/// <summary>A malformed text module: <see cref="WasmException.Reason"/> is the testsuite's message, the position is line:column (1-based).</summary>
public sealed class ParseException(string reason, int line, int column)
    : WasmException(Phase.Parse, reason, $"{line}:{column}")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}
