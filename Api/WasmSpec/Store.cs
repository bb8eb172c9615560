using Spec.Execution;
using Runtime = Spec.Execution;

namespace WasmSpec;

// A store: the runtime's store (every instance, memory, table and global a program makes), its limits, its fuel and
// the ways it can be stopped from outside. Mutable by nature: fuel, the epoch deadline and the objects kept per
// store (a WASI context) change as it runs.

/// <summary>What a store's modules may claim together; passing one is <see cref="Exhaustion"/> with <see cref="TrapCode.StoreLimit"/>, or -1 from memory.grow and table.grow.</summary>
public sealed record StoreLimits
{
    /// <summary>Bytes of all linear memories together (default 8 GiB).</summary>
    public ulong MaxMemoryBytes { get; init; } = StorePolicy.Default.MaxMemoryBytes;
    /// <summary>Elements of all tables together (default 10,000,000).</summary>
    public ulong MaxTableElements { get; init; } = StorePolicy.Default.MaxTableElements;
    /// <summary>Bytes of live GC structs and arrays (default 1 GiB).</summary>
    public long MaxGcHeapBytes { get; init; } = StorePolicy.Default.MaxGcHeapBytes;
    /// <summary>Wasm frames live at once (default 100,000).</summary>
    public int MaxCallDepth { get; init; } = StorePolicy.Default.MaxCallDepth;
    /// <summary>Module instances (default 10,000).</summary>
    public int MaxInstances { get; init; } = StorePolicy.Default.MaxInstances;
    /// <summary>Memories (default 10,000).</summary>
    public int MaxMemories { get; init; } = StorePolicy.Default.MaxMemories;
    /// <summary>Tables (default 10,000).</summary>
    public int MaxTables { get; init; } = StorePolicy.Default.MaxTables;

    internal StorePolicy Policy => StorePolicy.Default with
    {
        MaxMemoryBytes = MaxMemoryBytes, MaxTableElements = MaxTableElements, MaxGcHeapBytes = MaxGcHeapBytes,
        MaxCallDepth = MaxCallDepth, MaxInstances = MaxInstances, MaxMemories = MaxMemories, MaxTables = MaxTables,
    };
}

/// <summary>
/// Where instances live and run: <c>using var store = new Store(engine);</c>. One thread runs a store's code at a
/// time; <see cref="Engine.IncrementEpoch"/>, a timeout and a cancellation token stop it from any thread.
/// </summary>
public sealed class Store : IDisposable
{
    public Store(Engine engine, StoreLimits? limits = null)
    {
        Engine = engine;
        Limits = limits ?? new StoreLimits();
        Runtime = new Runtime.Store(new InstantiationWatch(engine.MakeRuntimeEngine(), this), Limits.Policy);
        if (engine.Config.ConsumeFuel) Runtime.Fuel = 0;
        if (engine.Config.EpochInterruption) engine.Watch(this);
    }

    public Engine Engine { get; }

    public StoreLimits Limits { get; }

    /// <summary>The runtime's store (chapter 4), for the Appendix A functions of <c>Spec.Execution.Embedding</c>.</summary>
    public Runtime.Store Runtime { get; }

    // ---- Fuel ----

    /// <summary>Adds fuel: one unit per instruction, and one per byte or element a bulk operation touches. Kept across calls.</summary>
    public void AddFuel(ulong units)
    {
        RequireFuel();
        Runtime.AddFuel(checked((long)units));
    }

    /// <summary>The fuel left.</summary>
    public ulong GetFuel()
    {
        RequireFuel();
        return (ulong)(Runtime.Fuel ?? 0);
    }

    /// <summary>Sets the fuel left.</summary>
    public void SetFuel(ulong units)
    {
        RequireFuel();
        Runtime.Fuel = checked((long)units);
    }

    void RequireFuel()
    {
        if (!Engine.Config.ConsumeFuel) throw new InvalidOperationException("fuel is off: make the engine with EngineConfig.ConsumeFuel = true");
    }

    // ---- Stopping from outside ----

    ulong? epochDeadline;

    /// <summary>Running Wasm stops with <see cref="TrapCode.Interrupted"/> once the engine's epoch is <paramref name="ticksBeyondCurrent"/> past its current value.</summary>
    public void SetEpochDeadline(ulong ticksBeyondCurrent)
    {
        if (!Engine.Config.EpochInterruption)
            throw new InvalidOperationException("epoch interruption is off: make the engine with EngineConfig.EpochInterruption = true");
        lock (this) epochDeadline = Engine.Epoch + ticksBeyondCurrent;
        if (ticksBeyondCurrent == 0) Runtime.Interrupt();
    }

    internal void EpochReached(ulong epoch)
    {
        lock (this)
        {
            if (epochDeadline is not { } d || epoch < d) return;
            epochDeadline = null;
        }
        Runtime.Interrupt();
    }

    /// <summary>Running Wasm stops with <see cref="TrapCode.DeadlineExceeded"/> once <paramref name="timeout"/> has passed, and so does every later call.</summary>
    public void SetTimeout(TimeSpan timeout) => Runtime.SetDeadline(timeout);

    /// <summary>While the returned registration lives, cancelling <paramref name="token"/> stops running Wasm with <see cref="TrapCode.Interrupted"/>.</summary>
    public CancellationTokenRegistration InterruptOn(CancellationToken token) => token.Register(Runtime.Interrupt);

    /// <summary>Stops running Wasm with <see cref="TrapCode.Interrupted"/> (or the next call, if none runs). Any thread.</summary>
    public void Interrupt() => Runtime.Interrupt();

    // ---- .NET objects as extern references ----

    // The objects handed to the guest, kept for the store's life: a guest may hold a reference anywhere (a table, a
    // global, a GC field), so none can be let go before the store is. An object's address is its index, tagged with
    // the top bit so that it is never one an embedder made with HostRef directly.
    readonly List<object> hostObjects = [];
    readonly Dictionary<object, ulong> hostAddresses = new(ReferenceEqualityComparer.Instance);
    const ulong HostObjectTag = 1UL << 63;

    /// <summary>
    /// An externref for <paramref name="o"/>: null for null, the same reference each time for the same object; a boxed
    /// <see cref="Value"/> that holds an extern reference the guest made is that reference again.
    /// </summary>
    internal Value Externalize(object? o)
    {
        if (o is null) return Value.Reference(null);
        if (o is Value { Kind: ValueKind.Ref, Ref: ExternRef } v) return v;
        lock (hostObjects)
        {
            if (!hostAddresses.TryGetValue(o, out var address))
            {
                address = HostObjectTag | (uint)hostObjects.Count;
                hostObjects.Add(o);
                hostAddresses.Add(o, address);
            }
            return Value.Reference(new ExternRef(new HostRef(address)));
        }
    }

    /// <summary>The .NET object an externref stands for: the object given, null for null, else the reference as a boxed <see cref="Value"/>.</summary>
    internal object? Internalize(Value v)
    {
        if (v.Ref is null) return null;
        if (v.Ref is ExternRef { Inner: HostRef { Address: var a } } && (a & HostObjectTag) != 0)
            lock (hostObjects)
                if (a - HostObjectTag < (ulong)hostObjects.Count) return hostObjects[(int)(a - HostObjectTag)];
        return v;
    }

    // ---- What lives as long as the store ----

    readonly Dictionary<object, IDisposable> attached = [];

    /// <summary>The object kept for <paramref name="key"/> in this store, made by <paramref name="make"/> the first time (a WASI context); disposed with the store.</summary>
    internal T Attached<T>(object key, Func<T> make) where T : IDisposable
    {
        if (!attached.TryGetValue(key, out var v)) attached[key] = v = make();
        return (T)v;
    }

    public void Dispose()
    {
        foreach (var d in attached.Values) d.Dispose();
        attached.Clear();
    }

    // ---- Instantiation in progress ----

    /// <summary>Told of each instance before its start function runs: the callers of its host functions need it by then.</summary>
    internal Action<ModuleInstance>? OnInstantiated;

    /// <summary>The runtime's engine, watched for new instances; running code goes straight through.</summary>
    sealed class InstantiationWatch(IEngine inner, Store store) : IEngine
    {
        public string Name => inner.Name;

        public void Instantiated(Runtime.Store s, ModuleInstance instance)
        {
            store.OnInstantiated?.Invoke(instance);
            inner.Instantiated(s, instance);
        }

        public IReadOnlyList<Value> Invoke(Runtime.Store s, FuncInst func, IReadOnlyList<Value> args) => inner.Invoke(s, func, args);
    }
}
