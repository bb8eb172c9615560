namespace Spec.Execution;

// The seam between the runtime and the engines that run code over it (the reference interpreter,
// the native JIT). Both share the store, its instances and cells, and the host-function interface;
// an engine adds only how function bodies are executed.

/// <summary>An execution engine: runs the functions of the stores made with it.</summary>
public interface IEngine
{
    /// <summary>The engine's name, as the command-line option <c>--engine</c> gives it.</summary>
    string Name { get; }

    /// <summary>
    /// Called by instantiation once <paramref name="instance"/>'s functions, tables, memories and globals exist and
    /// before its segments are copied or its start function runs: a compiler compiles the instance's code here.
    /// </summary>
    void Instantiated(Store store, ModuleInstance instance);

    /// <summary>$invoke(s, funcaddr, val*): runs <paramref name="func"/> to completion. The arguments have been checked
    /// against the function's type (<see cref="Embedding.Invoke"/> does it).</summary>
    IReadOnlyList<Value> Invoke(Store store, FuncInst func, IReadOnlyList<Value> args);
}
