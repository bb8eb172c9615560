namespace Spec.Execution;

// What a store's modules have claimed — instances, memories and their bytes, tables and their elements, live GC
// objects — counted against the store's limits (StorePolicy). Mutable by nature: counts go up as the store allocates
// and grows; GC bytes also come down, from the finalizer thread, when the .NET GC reclaims an object. Memory bytes
// are claimed atomically: a shared memory counts against the store that made it even when another thread grows it.

/// <summary>The store's claims on memory and objects, each checked against its <see cref="StorePolicy"/> limit.</summary>
public sealed class StoreClaims
{
    readonly StorePolicy policy;
    ulong memoryBytes, tableElements;
    int instances, memories, tables;

    internal StoreClaims(StorePolicy policy)
    {
        this.policy = policy;
        Heap = new GcHeap(policy.MaxGcHeapBytes);
    }

    /// <summary>The bytes of linear memory the store's memories have.</summary>
    public ulong MemoryBytes => Volatile.Read(ref memoryBytes);
    /// <summary>The elements the store's tables have.</summary>
    public ulong TableElements => tableElements;
    public int Instances => instances;
    public int Memories => memories;
    public int Tables => tables;
    /// <summary>The store's live GC objects.</summary>
    public GcHeap Heap { get; }

    /// <summary>A module instance is allocated; "store limit reached" beyond <see cref="StorePolicy.MaxInstances"/>.</summary>
    internal void Instance() => Count(ref instances, policy.MaxInstances, nameof(StorePolicy.MaxInstances), "module instances");

    /// <summary>A memory of <paramref name="bytes"/> is allocated (its minimum).</summary>
    internal void Memory(ulong bytes)
    {
        if (!TryMemoryBytes(bytes)) throw Limit(nameof(StorePolicy.MaxMemoryBytes), policy.MaxMemoryBytes, "bytes of all linear memories");
        Count(ref memories, policy.MaxMemories, nameof(StorePolicy.MaxMemories), "memories");
    }

    /// <summary>A table of <paramref name="elements"/> is allocated (its minimum).</summary>
    internal void Table(ulong elements)
    {
        if (!TryTableElements(elements)) throw Limit(nameof(StorePolicy.MaxTableElements), policy.MaxTableElements, "elements of all tables");
        Count(ref tables, policy.MaxTables, nameof(StorePolicy.MaxTables), "tables");
    }

    /// <summary>Claims <paramref name="bytes"/> more of linear memory; false (and nothing claimed) past the limit.</summary>
    internal bool TryMemoryBytes(ulong bytes)
    {
        for (var had = Volatile.Read(ref memoryBytes); ;)
        {
            if (bytes > policy.MaxMemoryBytes - had) return false;
            var seen = Interlocked.CompareExchange(ref memoryBytes, had + bytes, had);
            if (seen == had) return true;
            had = seen;
        }
    }

    /// <summary>Gives back <paramref name="bytes"/> claimed by <see cref="TryMemoryBytes"/> (a grow that failed after all).</summary>
    internal void ReleaseMemoryBytes(ulong bytes) => Interlocked.Add(ref memoryBytes, unchecked(0UL - bytes));

    /// <summary>How many more table elements the store may have.</summary>
    internal ulong TableElementsLeft => policy.MaxTableElements - tableElements;

    /// <summary>Claims <paramref name="elements"/> more table elements; false (and nothing claimed) past the limit.</summary>
    internal bool TryTableElements(ulong elements)
    {
        if (elements > policy.MaxTableElements - tableElements) return false;
        tableElements += elements;
        return true;
    }

    static void Count(ref int count, int limit, string name, string what)
    {
        if (count >= limit) throw Limit(name, (ulong)limit, what);
        count++;
    }

    /// <summary>"store limit reached: MaxTables = 10000 (tables)": the limit by its name in <see cref="StorePolicy"/>, its value, what it counts.</summary>
    internal static ExhaustionException Limit(string name, ulong limit, string what) =>
        new(TrapCode.StoreLimit, $"{name} = {limit} ({what})");
}

/// <summary>
/// The store's GC heap as it counts it: each struct and array costs <see cref="ObjectBytes"/> plus its fields at
/// their size (i8 1, i16 2, i32 and f32 4, i64 and f64 8, v128 16, a reference 8). An object's bytes are claimed
/// before it is made and given back when the .NET GC reclaims it (its finalizer). When a claim would pass the limit,
/// the engine drops the references it no longer needs (<see cref="Reclaim"/>), the .NET GC runs, and the claim is
/// tried again once.
/// </summary>
public sealed class GcHeap
{
    /// <summary>What every object costs beyond its fields: the header, type and field storage of the runtime's object.</summary>
    public const long ObjectBytes = 32;

    readonly long limit;
    long live;

    internal GcHeap(long limit) => this.limit = limit;

    /// <summary>The bytes of live objects (those not yet reclaimed).</summary>
    public long LiveBytes => Volatile.Read(ref live);

    /// <summary>Set by an engine that keeps references the GC cannot see are dead (the JIT's handles): drops them.</summary>
    internal Action? Reclaim;

    /// <summary>Claims <paramref name="bytes"/> for a new object: "store limit reached" if they do not fit even after a collection.</summary>
    internal void Claim(long bytes)
    {
        if (TryClaim(bytes)) return;
        Reclaim?.Invoke();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (!TryClaim(bytes))
            throw StoreClaims.Limit(nameof(StorePolicy.MaxGcHeapBytes), (ulong)limit, "bytes of live structs and arrays");
    }

    bool TryClaim(long bytes)
    {
        if (Interlocked.Add(ref live, bytes) <= limit) return true;
        Interlocked.Add(ref live, -bytes);
        return false;
    }

    /// <summary>An object of <paramref name="bytes"/> was reclaimed (called from its finalizer).</summary>
    internal void Release(long bytes) => Interlocked.Add(ref live, -bytes);
}
