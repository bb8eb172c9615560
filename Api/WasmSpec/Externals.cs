using Spec.Execution;
using Spec.Syntax;

namespace WasmSpec;

/// <summary>A global of a store, untyped: its value as a <see cref="Value"/>.</summary>
public sealed class Global
{
    internal Global(Store store, GlobalInst inner)
    {
        Store = store;
        Inner = inner;
        Type = new GlobalType(inner.Type.Type, inner.Type.Mut == Mut.Var);
    }

    public Store Store { get; }
    internal GlobalInst Inner { get; }
    public GlobalType Type { get; }

    /// <summary>The value; setting it needs a mutable global and a value of its type (else <see cref="InvalidOperationException"/>, <see cref="ArgumentException"/>).</summary>
    public Value Value
    {
        get => Embedding.GetGlobal(Inner);
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException($"the global is immutable: {Type}");
            Embedding.SetGlobal(Inner, value);
        }
    }

    /// <summary>The global through a .NET type (int, uint, long, ulong, float, double), checked once here.</summary>
    public Global<T> As<T>() where T : struct =>
        Marshal.Fits(typeof(T), Type.Content) && typeof(T) != typeof(Value) ? new Global<T>(this)
            : throw new ArgumentException($"the global is {Type}, not of {Marshal.Name(typeof(T))}");
}

/// <summary>A global read and written as <typeparamref name="T"/>.</summary>
public sealed class Global<T> where T : struct
{
    readonly Global global;
    internal Global(Global global) => this.global = global;

    public GlobalType Type => global.Type;

    public T Value
    {
        get => Marshal.FromValue<T>(global.Value, global.Store);
        set => global.Value = Marshal.ToValue(value, global.Store);
    }
}

/// <summary>A table of a store; a function table's elements as <see cref="Function"/>s.</summary>
public sealed class Table
{
    internal Table(Store store, TableInst inner)
    {
        Store = store;
        Inner = inner;
    }

    public Store Store { get; }
    internal TableInst Inner { get; }

    public TableType Type => new(Inner.Type.ElemType, Inner.Size, Inner.Type.Limits.Max);

    /// <summary>The number of elements.</summary>
    public ulong Size => Inner.Size;

    /// <summary>Element <paramref name="index"/> of a function table: the function, or null.</summary>
    public Function? GetFunction(ulong index) => Get(index) switch
    {
        null => null,
        FuncInst f => new Function(Store, f),
        var r => throw new InvalidOperationException($"element {index} is {r}, not a function: the table is {Type}"),
    };

    /// <summary>Sets element <paramref name="index"/> to <paramref name="function"/> (null: ref.null).</summary>
    public void SetFunction(ulong index, Function? function)
    {
        if (function is not null && function.Store != Store) throw new ArgumentException("the function belongs to another store");
        try { Embedding.SetTable(Inner, index, function?.Inner); }
        catch (WasmException e) { throw Errors.Run(e); }
    }

    /// <summary>Grows by <paramref name="count"/> elements set to <paramref name="init"/>: the old size, or -1 if the table cannot grow.</summary>
    public long Grow(ulong count, Function? init = null) =>
        Embedding.GrowTable(Store.Runtime, Inner, count, init?.Inner) is { } old ? (long)old : -1;

    Ref? Get(ulong index)
    {
        try { return Embedding.GetTable(Inner, index); }
        catch (WasmException e) { throw Errors.Run(e); }
    }
}
