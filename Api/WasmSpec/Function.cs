using Spec.Execution;
using Spec.Syntax;

namespace WasmSpec;

/// <summary>A function of a store: an instance's export, or a host function. Call it untyped with values, or as a typed delegate.</summary>
public sealed class Function
{
    internal Function(Store store, FuncInst inner)
    {
        Store = store;
        Inner = inner;
        Type = FunctionType.Of(Embedding.TypeOf(inner));
    }

    public Store Store { get; }

    internal FuncInst Inner { get; }

    public FunctionType Type { get; }

    /// <summary>Calls the function with <paramref name="arguments"/>, each checked against its parameter type.</summary>
    public Value[] Invoke(params Value[] arguments)
    {
        if (arguments.Length != Type.Parameters.Count)
            throw new ArgumentException($"the function takes {Marshal.Count(Type.Parameters.Count, "argument")} {Type}, got {arguments.Length}");
        try { return [.. Embedding.Invoke(Store.Runtime, Inner, arguments)]; }
        catch (ArgumentException e) { throw new ArgumentException($"{e.Message}: the function is {Type}", e); }
        catch (WasmException e) { throw Errors.Run(e); }
    }

    /// <summary>A call whose arguments' types were settled when the delegate was made.</summary>
    internal IReadOnlyList<Value> Call(Value[] arguments)
    {
        try { return Store.Runtime.Engine.Invoke(Store.Runtime, Inner, arguments); }
        catch (WasmException e) { throw Errors.Run(e); }
    }

    /// <summary>
    /// The function as a delegate of type <typeparamref name="TDelegate"/> (<c>Func&lt;int, int, long&gt;</c>, <c>Action&lt;int&gt;</c>, any
    /// delegate over int, uint, long, ulong, float, double, <see cref="Function"/> for function references, object for
    /// externref, <see cref="Value"/>; several results as a ValueTuple), checked against the function's type here, once.
    /// A mismatch is an <see cref="ArgumentException"/> saying where; so is an argument whose type only the call can
    /// tell (a function of another type, a null for a non-null reference, a <see cref="Value"/> of another type).
    /// </summary>
    public TDelegate As<TDelegate>() where TDelegate : Delegate
    {
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        if (Marshal.Mismatch(parameters, invoke.ReturnType, Type) is { } why)
            throw new ArgumentException($"the function is {Type}, not {Marshal.Name(typeof(TDelegate))}: {why}");
        // Arguments whose type the delegate cannot settle (references, untyped values) are checked as Invoke checks them.
        return Marshal.Calling<TDelegate>(parameters.Any(Marshal.CheckedPerCall) ? Invoke : Call, Store);
    }

    public override string ToString() => Type.ToString();
}
