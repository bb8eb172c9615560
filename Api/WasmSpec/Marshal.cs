using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Spec.Execution;
using Spec.Syntax;

namespace WasmSpec;

// Between .NET delegates and Wasm functions. A delegate's shape is checked against the Wasm type once, when it is
// bound; the delegate made for it converts each argument and result with no reflection left at call time.
//   int, uint <-> i32    long, ulong <-> i64    float <-> f32    double <-> f64    Value <-> any type
// Results: void (none), one of those (one), a ValueTuple of them (several).

internal static class Marshal
{
    /// <summary>The Wasm type a .NET type stands for; null for <see cref="Value"/> (any type) and for types that stand for none.</summary>
    public static bool Fits(Type t, ValType wasm) =>
        t == typeof(Value) || (wasm is NumValType n && n.Type == (t == typeof(int) || t == typeof(uint) ? NumType.I32
            : t == typeof(long) || t == typeof(ulong) ? NumType.I64 : t == typeof(float) ? NumType.F32 : t == typeof(double) ? NumType.F64 : (NumType)255));

    public static bool IsScalar(Type t) =>
        t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong) || t == typeof(float) || t == typeof(double) || t == typeof(Value);

    /// <summary>The .NET types a result type stands for: none for void, the tuple's items for a ValueTuple.</summary>
    public static Type[] Results(Type t) =>
        t == typeof(void) ? [] : t.IsGenericType && t.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) ? t.GetGenericArguments() : [t];

    public static Value ToValue<T>(T x)
    {
        if (typeof(T) == typeof(int)) return Value.I32(Unsafe.As<T, int>(ref x));
        if (typeof(T) == typeof(uint)) return Value.I32(Unsafe.As<T, uint>(ref x));
        if (typeof(T) == typeof(long)) return Value.I64(Unsafe.As<T, long>(ref x));
        if (typeof(T) == typeof(ulong)) return Value.I64(Unsafe.As<T, ulong>(ref x));
        if (typeof(T) == typeof(float)) return Value.F32(Unsafe.As<T, float>(ref x));
        if (typeof(T) == typeof(double)) return Value.F64(Unsafe.As<T, double>(ref x));
        return Unsafe.As<T, Value>(ref x);
    }

    public static T FromValue<T>(Value v)
    {
        if (typeof(T) == typeof(int)) { var r = v.AsI32; return Unsafe.As<int, T>(ref r); }
        if (typeof(T) == typeof(uint)) { var r = v.AsU32; return Unsafe.As<uint, T>(ref r); }
        if (typeof(T) == typeof(long)) { var r = v.AsI64; return Unsafe.As<long, T>(ref r); }
        if (typeof(T) == typeof(ulong)) { var r = v.Bits; return Unsafe.As<ulong, T>(ref r); }
        if (typeof(T) == typeof(float)) { var r = v.AsF32; return Unsafe.As<float, T>(ref r); }
        if (typeof(T) == typeof(double)) { var r = v.AsF64; return Unsafe.As<double, T>(ref r); }
        return Unsafe.As<Value, T>(ref v);
    }

    public static T Item<T>(IReadOnlyList<Value> values, int k) => FromValue<T>(values[k]);

    static readonly MethodInfo ToValueMethod = typeof(Marshal).GetMethod(nameof(ToValue))!;
    static readonly MethodInfo ItemMethod = typeof(Marshal).GetMethod(nameof(Item))!;

    /// <summary>"Func&lt;int, long&gt;" as C# writes it.</summary>
    public static string Name(Type t) => t == typeof(void) ? "void" : !t.IsGenericType ? Alias(t)
        : $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>";

    static string Alias(Type t) =>
        t == typeof(int) ? "int" : t == typeof(uint) ? "uint" : t == typeof(long) ? "long" : t == typeof(ulong) ? "ulong"
        : t == typeof(float) ? "float" : t == typeof(double) ? "double" : t.Name;

    /// <summary>Why a delegate of <paramref name="parameters"/> → <paramref name="result"/> cannot stand for <paramref name="wasm"/>; null if it can.</summary>
    public static string? Mismatch(Type[] parameters, Type result, FunctionType wasm)
    {
        var results = Results(result);
        if (parameters.Length != wasm.Parameters.Count) return $"it takes {Count(wasm.Parameters.Count, "parameter")}, the delegate {parameters.Length}";
        if (results.Length != wasm.Results.Count) return $"it returns {Count(wasm.Results.Count, "result")}, the delegate {results.Length}";
        for (int k = 0; k < parameters.Length; k++)
            if (!Fits(parameters[k], wasm.Parameters[k])) return $"parameter {k} is {wasm.Parameters[k]}, the delegate's {Name(parameters[k])}";
        for (int k = 0; k < results.Length; k++)
            if (!Fits(results[k], wasm.Results[k])) return $"result {k} is {wasm.Results[k]}, the delegate's {Name(results[k])}";
        return null;
    }

    public static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    /// <summary>
    /// A delegate of type <typeparamref name="TDelegate"/> that calls <paramref name="call"/> with its arguments as values
    /// and returns the results as its result type; the shape was checked against the Wasm type before.
    /// </summary>
    public static TDelegate Calling<TDelegate>(Func<Value[], IReadOnlyList<Value>> call) where TDelegate : Delegate
    {
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        var ps = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var args = Expression.NewArrayInit(typeof(Value), ps.Select(p => (Expression)Expression.Call(ToValueMethod.MakeGenericMethod(p.Type), p)));
        var results = Expression.Invoke(Expression.Constant(call), args);
        return Expression.Lambda<TDelegate>(Unpack(results, invoke.ReturnType), ps).Compile();
    }

    /// <summary>The results (an <c>IReadOnlyList&lt;Value&gt;</c> expression) as <paramref name="type"/>.</summary>
    static Expression Unpack(Expression results, Type type)
    {
        if (type == typeof(void)) return Expression.Block(typeof(void), results);
        var items = Results(type);
        var r = Expression.Variable(typeof(IReadOnlyList<Value>), "results");
        var values = items.Select((t, k) => (Expression)Expression.Call(ItemMethod.MakeGenericMethod(t), r, Expression.Constant(k))).ToArray();
        Expression made = items.Length == 1 && type == items[0] ? values[0] : Expression.New(type.GetConstructor(items)!, values);
        return Expression.Block(type, [r], Expression.Assign(r, results), made);
    }

    /// <summary>
    /// A host function over <paramref name="callback"/>: the arguments converted to its parameter types (a first
    /// parameter of type <see cref="Caller"/> receives the caller), its result converted to values.
    /// </summary>
    public static Func<Caller, IReadOnlyList<Value>, IReadOnlyList<Value>> Called(Delegate callback, bool withCaller)
    {
        var invoke = callback.GetType().GetMethod("Invoke")!;
        var caller = Expression.Parameter(typeof(Caller), "caller");
        var args = Expression.Parameter(typeof(IReadOnlyList<Value>), "args");
        var ps = invoke.GetParameters();
        var given = ps.Select((p, k) => withCaller && k == 0 ? (Expression)caller
            : Expression.Call(ItemMethod.MakeGenericMethod(p.ParameterType), args, Expression.Constant(withCaller ? k - 1 : k))).ToArray();
        var call = Expression.Call(Expression.Constant(callback), invoke, given);
        Expression body;
        if (invoke.ReturnType == typeof(void)) body = Expression.Block(call, Expression.Constant(Array.Empty<Value>(), typeof(IReadOnlyList<Value>)));
        else
        {
            var items = Results(invoke.ReturnType);
            var result = Expression.Variable(invoke.ReturnType, "result");
            var values = items.Length == 1 && items[0] == invoke.ReturnType
                ? [Expression.Call(ToValueMethod.MakeGenericMethod(items[0]), result)]
                : items.Select((t, k) => (Expression)Expression.Call(ToValueMethod.MakeGenericMethod(t), Expression.Field(result, $"Item{k + 1}"))).ToArray();
            body = Expression.Block(typeof(IReadOnlyList<Value>), [result], Expression.Assign(result, call),
                Expression.Convert(Expression.NewArrayInit(typeof(Value), values), typeof(IReadOnlyList<Value>)));
        }
        return Expression.Lambda<Func<Caller, IReadOnlyList<Value>, IReadOnlyList<Value>>>(body, caller, args).Compile();
    }

    /// <summary>The Wasm type a host delegate declares; null and why, if a parameter or result stands for no Wasm type.</summary>
    public static FunctionType? TypeOf(Delegate callback, out bool withCaller, out string? why)
    {
        var invoke = callback.GetType().GetMethod("Invoke")!;
        var ps = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        withCaller = ps.Length > 0 && ps[0] == typeof(Caller);
        if (withCaller) ps = ps[1..];
        var rs = Results(invoke.ReturnType);
        why = null;
        foreach (var t in ps.Concat(rs))
            if (!IsScalar(t) || t == typeof(Value))
            {
                why = $"{Name(t)} stands for no WebAssembly type (use int, uint, long, ulong, float, double, or the untyped form)";
                return null;
            }
        return new FunctionType([.. ps.Select(WasmType)], [.. rs.Select(WasmType)]);
    }

    static ValType WasmType(Type t) => new NumValType(
        t == typeof(int) || t == typeof(uint) ? NumType.I32 : t == typeof(long) || t == typeof(ulong) ? NumType.I64 : t == typeof(float) ? NumType.F32 : NumType.F64);
}
