using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Spec.Execution;
using Spec.Syntax;

namespace WasmSpec;

// Between .NET delegates and Wasm functions. A delegate's shape is checked against the Wasm type once, when it is
// bound; the delegate made for it converts each argument and result with no reflection left at call time.
//   int, uint <-> i32    long, ulong <-> i64    float <-> f32    double <-> f64    Value <-> any type
//   Function <-> a function reference (funcref, or a concrete function type), null for ref.null
//   object <-> externref: a .NET object the store keeps for the guest, null for ref.null; an extern reference the
//              guest made from one of its own (extern.convert_any) comes out as its Value, and goes back in unchanged
// Results: void (none), one of those (one), a ValueTuple of them (several).

internal static class Marshal
{
    /// <summary>Whether .NET type <paramref name="t"/> can stand for Wasm type <paramref name="wasm"/>.</summary>
    public static bool Fits(Type t, ValType wasm) =>
        t == typeof(Value)
        || t == typeof(Function) && wasm is RefType { Heap: var f } && IsFunctionHeap(f)
        || t == typeof(object) && wasm is RefType { Heap: AbsHeap { Type: AbsHeapType.Extern or AbsHeapType.NoExtern } }
        || (wasm is NumValType n && n.Type == (t == typeof(int) || t == typeof(uint) ? NumType.I32
            : t == typeof(long) || t == typeof(ulong) ? NumType.I64 : t == typeof(float) ? NumType.F32 : t == typeof(double) ? NumType.F64 : (NumType)255));

    static bool IsFunctionHeap(HeapType h) => h switch
    {
        AbsHeap a => a.Type is AbsHeapType.Func or AbsHeapType.NoFunc,
        ExactHeap { Type: DefType d } => Spec.Validation.Types.Expand(d) is FuncType,
        DefType d => Spec.Validation.Types.Expand(d) is FuncType,
        _ => false,
    };

    public static bool IsScalar(Type t) =>
        t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong) || t == typeof(float) || t == typeof(double) || t == typeof(Value);

    /// <summary>Whether a value of <paramref name="t"/> must be checked against the Wasm type at each call: its static type does not settle it.</summary>
    public static bool CheckedPerCall(Type t) => t == typeof(Value) || t == typeof(Function) || t == typeof(object);

    /// <summary>The .NET types a result type stands for: none for void, the tuple's items for a ValueTuple.</summary>
    public static Type[] Results(Type t) =>
        t == typeof(void) ? [] : t.IsGenericType && t.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) ? t.GetGenericArguments() : [t];

    public static Value ToValue<T>(T x, Store store)
    {
        if (typeof(T) == typeof(Function)) return FunctionValue(Unsafe.As<T, Function?>(ref x), store);
        if (typeof(T) == typeof(object)) return store.Externalize(Unsafe.As<T, object?>(ref x));
        if (typeof(T) == typeof(int)) return Value.I32(Unsafe.As<T, int>(ref x));
        if (typeof(T) == typeof(uint)) return Value.I32(Unsafe.As<T, uint>(ref x));
        if (typeof(T) == typeof(long)) return Value.I64(Unsafe.As<T, long>(ref x));
        if (typeof(T) == typeof(ulong)) return Value.I64(Unsafe.As<T, ulong>(ref x));
        if (typeof(T) == typeof(float)) return Value.F32(Unsafe.As<T, float>(ref x));
        if (typeof(T) == typeof(double)) return Value.F64(Unsafe.As<T, double>(ref x));
        return Unsafe.As<T, Value>(ref x);
    }

    public static T FromValue<T>(Value v, Store store)
    {
        if (typeof(T) == typeof(Function)) { var f = v.Ref is FuncInst fi ? new Function(store, fi) : null; return Unsafe.As<Function?, T>(ref f); }
        if (typeof(T) == typeof(object)) { var o = store.Internalize(v); return Unsafe.As<object?, T>(ref o); }
        if (typeof(T) == typeof(int)) { var r = v.AsI32; return Unsafe.As<int, T>(ref r); }
        if (typeof(T) == typeof(uint)) { var r = v.AsU32; return Unsafe.As<uint, T>(ref r); }
        if (typeof(T) == typeof(long)) { var r = v.AsI64; return Unsafe.As<long, T>(ref r); }
        if (typeof(T) == typeof(ulong)) { var r = v.Bits; return Unsafe.As<ulong, T>(ref r); }
        if (typeof(T) == typeof(float)) { var r = v.AsF32; return Unsafe.As<float, T>(ref r); }
        if (typeof(T) == typeof(double)) { var r = v.AsF64; return Unsafe.As<double, T>(ref r); }
        return Unsafe.As<Value, T>(ref v);
    }

    public static T Item<T>(IReadOnlyList<Value> values, int k, Store store) => FromValue<T>(values[k], store);

    static Value FunctionValue(Function? f, Store store) =>
        f is not null && f.Store != store ? throw new ArgumentException("the function belongs to another store") : Value.Reference(f?.Inner);

    static readonly MethodInfo ToValueMethod = typeof(Marshal).GetMethod(nameof(ToValue))!;
    static readonly MethodInfo ItemMethod = typeof(Marshal).GetMethod(nameof(Item))!;

    /// <summary>"Func&lt;int, long&gt;" as C# writes it.</summary>
    public static string Name(Type t) => t == typeof(void) ? "void" : !t.IsGenericType ? Alias(t)
        : $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>";

    static string Alias(Type t) =>
        t == typeof(int) ? "int" : t == typeof(uint) ? "uint" : t == typeof(long) ? "long" : t == typeof(ulong) ? "ulong"
        : t == typeof(float) ? "float" : t == typeof(double) ? "double" : t == typeof(object) ? "object" : t.Name;

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
    public static TDelegate Calling<TDelegate>(Func<Value[], IReadOnlyList<Value>> call, Store store) where TDelegate : Delegate
    {
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        var ps = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var storeExpr = Expression.Constant(store);
        var args = Expression.NewArrayInit(typeof(Value), ps.Select(p => (Expression)Expression.Call(ToValueMethod.MakeGenericMethod(p.Type), p, storeExpr)));
        var results = Expression.Invoke(Expression.Constant(call), args);
        return Expression.Lambda<TDelegate>(Unpack(results, invoke.ReturnType, storeExpr), ps).Compile();
    }

    /// <summary>The results (an <c>IReadOnlyList&lt;Value&gt;</c> expression) as <paramref name="type"/>.</summary>
    static Expression Unpack(Expression results, Type type, Expression store)
    {
        if (type == typeof(void)) return Expression.Block(typeof(void), results);
        var items = Results(type);
        var r = Expression.Variable(typeof(IReadOnlyList<Value>), "results");
        var values = items.Select((t, k) => (Expression)Expression.Call(ItemMethod.MakeGenericMethod(t), r, Expression.Constant(k), store)).ToArray();
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
        var store = Expression.Property(caller, nameof(Caller.Store));
        var given = ps.Select((p, k) => withCaller && k == 0 ? (Expression)caller
            : Expression.Call(ItemMethod.MakeGenericMethod(p.ParameterType), args, Expression.Constant(withCaller ? k - 1 : k), store)).ToArray();
        var call = Expression.Call(Expression.Constant(callback), invoke, given);
        Expression body;
        if (invoke.ReturnType == typeof(void)) body = Expression.Block(call, Expression.Constant(Array.Empty<Value>(), typeof(IReadOnlyList<Value>)));
        else
        {
            var items = Results(invoke.ReturnType);
            var result = Expression.Variable(invoke.ReturnType, "result");
            var values = items.Length == 1 && items[0] == invoke.ReturnType
                ? [Expression.Call(ToValueMethod.MakeGenericMethod(items[0]), result, store)]
                : items.Select((t, k) => (Expression)Expression.Call(ToValueMethod.MakeGenericMethod(t), Expression.Field(result, $"Item{k + 1}"), store)).ToArray();
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
            if (!IsScalar(t) && t != typeof(Function) && t != typeof(object) || t == typeof(Value))
            {
                why = $"{Name(t)} stands for no WebAssembly type (use int, uint, long, ulong, float, double, Function, object, or the untyped form)";
                return null;
            }
        return new FunctionType([.. ps.Select(WasmType)], [.. rs.Select(WasmType)]);
    }

    static ValType WasmType(Type t) =>
        t == typeof(Function) ? new RefType(true, AbsHeap.Func)
        : t == typeof(object) ? new RefType(true, AbsHeap.Extern)
        : new NumValType(t == typeof(int) || t == typeof(uint) ? NumType.I32 : t == typeof(long) || t == typeof(ulong) ? NumType.I64 : t == typeof(float) ? NumType.F32 : NumType.F64);
}
