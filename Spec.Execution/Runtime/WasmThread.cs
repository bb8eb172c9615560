using Spec.Syntax;

namespace Spec.Execution;

// Threads from the embedder's side (the threads proposal leaves spawning to the host, as browsers do with workers and
// wasmtime with a store per thread): a Wasm thread is an instance of its own, in a store of its own, running one
// export on a host thread of its own. What threads share is what they import: a shared memory (MemInst) made once,
// counted against the store that made it. A store and its instances are used by one thread at a time.

/// <summary>
/// A Wasm thread: a new instance of a module in a store of its own, running one export on a new host thread.
/// <code>
/// var mem = Embedding.AllocMem(new Store(), new MemType(AddrType.I32, new Limits(1, 1), Shared: true));
/// var t = WasmThread.Start(module, [new ExternVal.Mem(mem)], "work", [Value.I32(0)]);
/// var results = t.Join();   // its results, or the trap, exhaustion or exception that ended it
/// </code>
/// </summary>
public sealed class WasmThread
{
    readonly Thread thread;
    IReadOnlyList<Value>? results;
    Exception? failure;

    /// <summary>The thread's store: <see cref="Store.Interrupt"/> and <see cref="Store.SetDeadline"/> stop it from any thread.</summary>
    public Store Store { get; }

    /// <summary>The instance the thread runs.</summary>
    public ModuleInstance Instance { get; }

    WasmThread(Store store, ModuleInstance instance, FuncInst func, IReadOnlyList<Value> args, int stackSize)
    {
        Store = store;
        Instance = instance;
        thread = new Thread(() =>
        {
            try { results = Embedding.Invoke(store, func, args); }
            catch (Exception e) { failure = e; }
        }, stackSize) { IsBackground = true, Name = "wasm thread" };
    }

    /// <summary>
    /// Instantiates <paramref name="module"/> with <paramref name="imports"/> (in <see cref="Module.Imports"/> order) in a new
    /// store on <paramref name="engine"/> (the interpreter by default) and starts invoking its export <paramref name="export"/>
    /// with <paramref name="args"/> on a new host thread. Instantiation happens here, on the caller's thread, and throws as
    /// <see cref="Instantiation.Instantiate(Store, Module, IReadOnlyList{ExternVal}, Features?)"/> does; an export that is not
    /// a function is an ArgumentException. The module is validated with <paramref name="features"/>, by default Wasm 3.0
    /// with the threads proposal (what a module sharing memory across threads is written in).
    /// </summary>
    public static WasmThread Start(Module module, IReadOnlyList<ExternVal> imports, string export, IReadOnlyList<Value> args,
        IEngine? engine = null, StorePolicy? policy = null, int stackSize = 16 << 20, Features? features = null)
    {
        var store = new Store(engine, policy);
        var instance = Instantiation.Instantiate(store, module, imports, features ?? new Features(Threads: true));
        if (instance.Export(export) is not ExternVal.Func f) throw new ArgumentException($"no function exported as \"{export}\"", nameof(export));
        var t = new WasmThread(store, instance, f.Inst, args, stackSize);
        t.thread.Start();
        return t;
    }

    /// <summary>Waits for the export to return and gives its results; rethrows what ended it otherwise.</summary>
    public IReadOnlyList<Value> Join()
    {
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return results!;
    }

    /// <summary>Waits at most <paramref name="timeout"/>; false if the thread is still running.</summary>
    public bool Join(TimeSpan timeout) => thread.Join(timeout);

    /// <summary>Whether the export is still running.</summary>
    public bool IsRunning => thread.IsAlive;
}
