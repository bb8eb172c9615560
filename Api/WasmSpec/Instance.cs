using Spec.Execution;

namespace WasmSpec;

/// <summary>
/// Where exports are found, by name: an <see cref="Instance"/>, and the <see cref="Caller"/> a host function is given
/// (the instance that imports it).
/// </summary>
public abstract class Exports
{
    private protected Exports(Store store) => Store = store;

    public Store Store { get; }

    private protected abstract ModuleInstance? Runtime { get; }

    ExternVal? Export(string name) => Runtime?.Export(name);

    /// <summary>The exported function <paramref name="name"/>, or null if there is none.</summary>
    public Function? GetFunction(string name) => Export(name) is ExternVal.Func f ? new Function(Store, f.Inst) : null;

    /// <summary>The exported memory <paramref name="name"/>, or null.</summary>
    public Memory? GetMemory(string name = "memory") => Export(name) is ExternVal.Mem m ? new Memory(Store, m.Inst) : null;

    /// <summary>The exported global <paramref name="name"/>, or null.</summary>
    public Global? GetGlobal(string name) => Export(name) is ExternVal.Global g ? new Global(Store, g.Inst) : null;

    /// <summary>The exported table <paramref name="name"/>, or null.</summary>
    public Table? GetTable(string name) => Export(name) is ExternVal.Table t ? new Table(Store, t.Inst) : null;

    /// <summary>The exported global <paramref name="name"/> as <typeparamref name="T"/>; a <see cref="LinkError"/> if missing or of another type.</summary>
    public Global<T> GetGlobal<T>(string name) where T : struct
    {
        var g = GetGlobal(name) ?? throw Missing(name, "global");
        try { return g.As<T>(); }
        catch (ArgumentException e) { throw new LinkError($"export \"{name}\": {e.Message}", inner: e); }
    }

    /// <summary>
    /// The exported function <paramref name="name"/> as a delegate of type <typeparamref name="TDelegate"/>, checked against
    /// its type once, here: a <see cref="LinkError"/> saying what differs if it does not fit, or if there is no such export.
    /// </summary>
    public TDelegate GetDelegate<TDelegate>(string name) where TDelegate : Delegate
    {
        var f = GetFunction(name) ?? throw Missing(name, "function");
        try { return f.As<TDelegate>(); }
        catch (ArgumentException e) { throw new LinkError($"export \"{name}\": {e.Message}", inner: e); }
    }

    LinkError Missing(string name, string kind) =>
        new($"no exported {kind} \"{name}\"" + (Runtime is { } r && r.Export(name) is { } other ? $" (\"{name}\" is a {other.Kind.ToString().ToLowerInvariant()})" : ""));

    public Func<TResult> GetFunction<TResult>(string name) => GetDelegate<Func<TResult>>(name);
    public Func<T1, TResult> GetFunction<T1, TResult>(string name) => GetDelegate<Func<T1, TResult>>(name);
    public Func<T1, T2, TResult> GetFunction<T1, T2, TResult>(string name) => GetDelegate<Func<T1, T2, TResult>>(name);
    public Func<T1, T2, T3, TResult> GetFunction<T1, T2, T3, TResult>(string name) => GetDelegate<Func<T1, T2, T3, TResult>>(name);
    public Func<T1, T2, T3, T4, TResult> GetFunction<T1, T2, T3, T4, TResult>(string name) => GetDelegate<Func<T1, T2, T3, T4, TResult>>(name);
    public Action GetAction(string name) => GetDelegate<Action>(name);
    public Action<T1> GetAction<T1>(string name) => GetDelegate<Action<T1>>(name);
    public Action<T1, T2> GetAction<T1, T2>(string name) => GetDelegate<Action<T1, T2>>(name);
    public Action<T1, T2, T3> GetAction<T1, T2, T3>(string name) => GetDelegate<Action<T1, T2, T3>>(name);
    public Action<T1, T2, T3, T4> GetAction<T1, T2, T3, T4>(string name) => GetDelegate<Action<T1, T2, T3, T4>>(name);
}

/// <summary>An instance of a module in a store (made by <see cref="Linker.Instantiate"/>).</summary>
public sealed class Instance : Exports
{
    internal Instance(Store store, Module module, ModuleInstance inner) : base(store)
    {
        Module = module;
        Inner = inner;
    }

    public Module Module { get; }

    internal ModuleInstance Inner { get; }

    private protected override ModuleInstance Runtime => Inner;
}

/// <summary>What a host function learns of its caller: the instance that imported it, whose memory and exports it may use.</summary>
public sealed class Caller : Exports
{
    internal Caller(Store store) : base(store) { }

    ModuleInstance? instance;

    private protected override ModuleInstance? Runtime => instance;

    /// <summary>Set before the instance's start function runs, so calls from it see the instance too.</summary>
    internal void Bind(ModuleInstance inst) => instance ??= inst;

    internal ModuleInstance? Inner => instance;
}
