using System.Text.RegularExpressions;
using Spec.Execution;
using Spec.Syntax;

namespace WasmSpec;

/// <summary>An untyped host function: the arguments as values, the results as values (checked against <see cref="FunctionType"/> after the call).</summary>
public delegate Value[] UntypedCallback(Caller caller, IReadOnlyList<Value> arguments);

/// <summary>
/// Names what modules import and instantiates them: imports are resolved by module and name, and checked against
/// their types. Definitions are kept, not made: a host function is made anew in each store it is instantiated in,
/// with a <see cref="Caller"/> for that instance.
/// <code>
/// linker.Define("env", "log", (int x) => Console.WriteLine(x));
/// var instance = linker.Instantiate(store, module);
/// </code>
/// </summary>
public sealed partial class Linker(Engine engine)
{
    public Engine Engine { get; } = engine;

    /// <summary>Whether a second definition of a name replaces the first; otherwise it is an <see cref="ArgumentException"/>.</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>Makes the external value of a definition in <paramref name="store"/>, for the instance <paramref name="caller"/> will name.</summary>
    internal delegate ExternVal Provider(Store store, Caller caller);

    internal sealed record Definition(ExternType Type, Provider Provide);

    readonly Dictionary<(string Module, string Name), Definition> definitions = [];

    internal void Add(string module, string name, Definition definition)
    {
        if (!AllowShadowing && definitions.ContainsKey((module, name)))
            throw new ArgumentException($"\"{module}\" \"{name}\" is already defined (set AllowShadowing to replace a definition)");
        definitions[(module, name)] = definition;
    }

    /// <summary>The type defined under <paramref name="module"/> <paramref name="name"/>, or null.</summary>
    public ExternType? TypeOf(string module, string name) => definitions.TryGetValue((module, name), out var d) ? d.Type : null;

    /// <summary>
    /// A host function from a delegate: its parameters and result (void, one, or a ValueTuple) over int, uint, long, ulong,
    /// float, double give its Wasm type; a first parameter of type <see cref="Caller"/> receives the caller. An exception
    /// it throws ends the Wasm call as a <see cref="Trap"/> whose inner exception it is.
    /// </summary>
    public void Define(string module, string name, Delegate callback)
    {
        var type = Marshal.TypeOf(callback, out var withCaller, out var why)
            ?? throw new ArgumentException($"\"{module}\" \"{name}\": {why}", nameof(callback));
        var call = Marshal.Called(callback, withCaller);
        DefineHost(module, name, type, caller => args => call(caller, args));
    }

    /// <summary>A host function of <paramref name="type"/> over values.</summary>
    public void DefineFunction(string module, string name, FunctionType type, UntypedCallback callback) =>
        DefineHost(module, name, type, caller => args => callback(caller, args));

    void DefineHost(string module, string name, FunctionType type, Func<Caller, HostFunc> code)
    {
        var funcType = new FuncType([.. type.Parameters], [.. type.Results]);
        Add(module, name, new Definition(type, (store, caller) => new ExternVal.Func(Embedding.AllocFunc(store.Runtime, funcType, code(caller)))));
    }

    /// <summary>A function, memory, global or table of a store; instances of that store only may import it.</summary>
    public void Define(string module, string name, Function function) =>
        Add(module, name, new Definition(function.Type, Of(function.Store, new ExternVal.Func(function.Inner))));

    public void Define(string module, string name, Memory memory) =>
        Add(module, name, new Definition(memory.Type, Of(memory.Store, new ExternVal.Mem(memory.Inner))));

    public void Define(string module, string name, Global global) =>
        Add(module, name, new Definition(global.Type, Of(global.Store, new ExternVal.Global(global.Inner))));

    public void Define(string module, string name, Table table) =>
        Add(module, name, new Definition(table.Type, Of(table.Store, new ExternVal.Table(table.Inner))));

    /// <summary>Every export of <paramref name="instance"/>, under the module name <paramref name="module"/>.</summary>
    public void DefineInstance(string module, Instance instance)
    {
        foreach (var e in instance.Module.Exports)
            Add(module, e.Name, new Definition(e.Type, Of(instance.Store, instance.Inner.Export(e.Name)!)));
    }

    static Provider Of(Store owner, ExternVal value) => (store, _) => store == owner ? value
        : throw new LinkError("the definition belongs to another store: externals of one store cannot be imported into another");

    /// <summary>
    /// Instantiates <paramref name="module"/> in <paramref name="store"/>, its imports resolved by name. A WASI reactor's
    /// <c>_initialize</c> is called here. A <see cref="LinkError"/> names the import that is undefined or of the wrong type;
    /// a start function's trap is a <see cref="Trap"/>.
    /// </summary>
    public Instance Instantiate(Store store, Module module)
    {
        if (module.Engine != Engine || store.Engine != Engine) throw new ArgumentException("the module, the store and the linker must share one engine");
        var caller = new Caller(store);
        var imports = new List<ExternVal>(module.Imports.Count);
        foreach (var import in module.Imports)
        {
            if (!definitions.TryGetValue((import.Module, import.Name), out var d))
                throw new LinkError($"unknown import: \"{import.Module}\" \"{import.Name}\" {import.Type} is not defined in the linker",
                    import.Module, import.Name);
            imports.Add(d.Provide(store, caller));
        }
        var before = store.OnInstantiated;
        store.OnInstantiated = caller.Bind;
        ModuleInstance inner;
        try { inner = Instantiation.Instantiate(store.Runtime, module.Syntax, imports, Engine.Config.Features); }
        catch (LinkException e) when (ImportAt(e) is { } k && k < module.Imports.Count)
        {
            var import = module.Imports[k];
            throw new LinkError($"incompatible import type: \"{import.Module}\" \"{import.Name}\": the module imports {import.Type}, "
                + $"the linker defines {definitions[(import.Module, import.Name)].Type}", import.Module, import.Name, e);
        }
        catch (WasmException e) { throw Errors.Run(e); }
        finally { store.OnInstantiated = before; }
        Errors.Remember(inner, module);
        var instance = new Instance(store, module, inner);
        if (instance.GetFunction("_initialize") is { Type: { Parameters.Count: 0, Results.Count: 0 } } initialize) initialize.Invoke();
        return instance;
    }

    static int? ImportAt(LinkException e) =>
        e.Position is { } p && ImportPosition().Match(p) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;

    [GeneratedRegex(@"^import (\d+) ")]
    private static partial Regex ImportPosition();
}
