using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Wast;

// The seam between the script runner and an execution engine (the interpreter or the JIT). The runner decodes,
// parses and validates modules itself; an engine only instantiates validated modules and runs their exports.
// Values cross the seam as the script's own values (Arg), so a pattern never sees an engine's representation.

/// <summary>What the runner needs from an engine: the spectest host instance and instantiation.</summary>
internal interface IScriptEngine
{
    /// <summary>The engine's name, as --engine gives it and the JSON report records it.</summary>
    string Name { get; }

    /// <summary>A fresh instance of the spectest host module, which scripts import from as "spectest".</summary>
    IScriptInstance Spectest();

    /// <summary>Links and instantiates a validated module, resolving imports by module name in <paramref name="registry"/>.
    /// Throws a <see cref="WasmException"/>: phase Link when unlinkable, Instantiate or Execute when it traps.</summary>
    IScriptInstance Instantiate(Module module, IReadOnlyDictionary<string, IScriptInstance> registry);
}

/// <summary>A module instance, as actions reach it: through its exports.</summary>
internal interface IScriptInstance
{
    /// <summary>Invokes an exported function. A trap, exhaustion or uncaught exception is thrown as a
    /// <see cref="WasmException"/> (an <see cref="AbortException"/> says which; any other means a trap).</summary>
    ImmutableArray<Arg> Invoke(string name, ImmutableArray<Arg> args);

    /// <summary>Reads an exported global.</summary>
    Arg Get(string name);
}

/// <summary>How an action ended abnormally.</summary>
internal enum AbortKind : byte { Trap, Exhaustion, Exception }

/// <summary>An action that ended abnormally, as an engine adapter reports it.</summary>
internal sealed class AbortException(AbortKind kind, string reason, Exception? inner = null)
    : WasmException(Phase.Execute, reason, null, inner)
{
    public AbortKind Kind { get; } = kind;
}
