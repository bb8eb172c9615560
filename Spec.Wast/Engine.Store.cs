using System.Collections.Immutable;
using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Wast;

// The script runner's engine over the runtime (appendix A.1): one store per script whose functions run on the
// runtime engine given (the interpreter or the JIT), instances reached through their exports, the script's values
// converted at the boundary, and the ways execution ends abnormally turned into the runner's kinds (a trap stays a
// trap; exhaustion and an uncaught Wasm exception become an AbortException of that kind).

/// <summary>Runs a script's modules in one store on a runtime engine.</summary>
internal sealed class StoreEngine : IScriptEngine
{
    /// <summary>Fuel for one invocation (or one instantiation's start function): far more than any testsuite action
    /// needs, little enough that a runaway loop ends in seconds rather than never.</summary>
    public const long DefaultFuel = 1_000_000_000;

    readonly Store store;
    readonly TextWriter output;
    readonly Features features;
    readonly long? fuel;

    /// <param name="engine">The runtime engine; the reference interpreter by default.</param>
    /// <param name="fuel">The fuel each invocation starts with; null for none.</param>
    /// <param name="output">Where spectest's print functions write; nowhere by default.</param>
    /// <param name="features">The rules modules are validated by when instantiated (Wasm 3.0 by default).</param>
    /// <param name="trace">Called with the name of every reduction rule applied (rule coverage).</param>
    /// <param name="timeout">How long the store may run, from now: the script's deadline.</param>
    /// <param name="exact">Whether a traced interpreter takes bulk operations' recursion one element a step.</param>
    public StoreEngine(IEngine? engine = null, long? fuel = DefaultFuel, TextWriter? output = null, Features? features = null,
        Action<string>? trace = null, TimeSpan? timeout = null, bool exact = false)
    {
        store = new Store(engine, StorePolicy.Default with { Trace = trace, ExactSteps = exact });
        if (timeout is { } t) store.SetDeadline(t);
        this.fuel = fuel;
        this.output = output ?? TextWriter.Null;
        this.features = features ?? Features.Default;
    }

    public string Name => store.Engine.Name;

    public IScriptInstance Spectest() => new StoreInstance(store, fuel, Wast.Spectest.Exports(store, output));

    /// <summary>module_instantiate, each import found by its module name in the registry and its name among that instance's exports.</summary>
    public IScriptInstance Instantiate(Module module, IReadOnlyDictionary<string, IScriptInstance> registry)
    {
        ExternVal? Resolve(string moduleName, string name) =>
            registry.GetValueOrDefault(moduleName) is StoreInstance i ? i.Export(name) : null;
        try
        {
            store.Fuel = fuel;
            var instance = StoreInstance.Abortable(() => Instantiation.Instantiate(store, module, Resolve, features));
            return new StoreInstance(store, fuel, instance.Exports.ToImmutableDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal));
        }
        catch (TrapException t) when (t.Phase != Phase.Instantiate)
        {
            // A trap while evaluating an initialiser is as much a failed instantiation as one in the start function.
            throw new TrapException(t, Phase.Instantiate);
        }
    }
}

/// <summary>A module instance (or the spectest host module) as its exports.</summary>
internal sealed class StoreInstance(Store store, long? fuel, ImmutableDictionary<string, ExternVal> exports) : IScriptInstance
{
    /// <summary>The export named <paramref name="name"/>, or null.</summary>
    public ExternVal? Export(string name) => exports.GetValueOrDefault(name);

    /// <summary>func_invoke. Arguments of the wrong number or type are the script's error (ArgumentException).</summary>
    public ImmutableArray<Arg> Invoke(string name, ImmutableArray<Arg> args)
    {
        if (Export(name) is not ExternVal.Func f) throw new ArgumentException($"no function exported as \"{name}\"");
        var values = args.Select(ToValue).ToArray();
        store.Fuel = fuel;
        var results = Abortable(() => Embedding.Invoke(store, f, values));
        var types = Embedding.TypeOf(f.Inst).Results;
        return [.. results.Select((v, k) => ToArg(v, types[k]))];
    }

    /// <summary>global_read of an exported global.</summary>
    public Arg Get(string name) =>
        Export(name) is ExternVal.Global g
            ? ToArg(Embedding.GetGlobal(g.Inst), g.Inst.Type.Type)
            : throw new ArgumentException($"no global exported as \"{name}\"");

    /// <summary>Runs <paramref name="run"/>, reporting exhaustion and an uncaught exception as the runner's abort kinds.</summary>
    internal static T Abortable<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ExhaustionException e)
        {
            // An exhausted invocation leaves a maximal operand stack behind as garbage; free it before the next one grows another.
            GC.Collect();
            throw new AbortException(AbortKind.Exhaustion, e.Reason, e);
        }
        catch (UncaughtWasmException e)
        {
            throw new AbortException(AbortKind.Exception, e.Reason, e);
        }
    }

    /// <summary>A script argument as a runtime value: (ref.extern n) is REF.EXTERN (REF.HOST_ADDR n), (ref.host n) REF.HOST_ADDR n.</summary>
    internal static Value ToValue(Arg arg) => arg switch
    {
        NumArg n => Value.Num(n.Type, n.Bits),
        VecArg v => Value.V128(v.Value),
        RefNullArg => Value.Null,
        RefExternArg r => Value.Reference(Embedding.ExternRef(r.Host)),
        RefHostArg r => Value.Reference(new HostRef(r.Host)),
        _ => throw new ArgumentException($"{arg} cannot be passed to a function"),
    };

    /// <summary>A runtime value of type <paramref name="type"/> as the script sees it: numbers by their bits,
    /// host references by their address, other references by the kind of object they denote.</summary>
    internal static Arg ToArg(Value v, ValType type) => v.Kind switch
    {
        ValueKind.I32 => new NumArg(NumType.I32, v.Bits),
        ValueKind.I64 => new NumArg(NumType.I64, v.Bits),
        ValueKind.F32 => new NumArg(NumType.F32, v.Bits),
        ValueKind.F64 => new NumArg(NumType.F64, v.Bits),
        ValueKind.V128 => new VecArg(v.AsV128),
        _ => v.Ref switch
        {
            null => new RefNullArg(type is RefType r ? r.Heap : HeapType.Any),
            HostRef h when h.Address <= uint.MaxValue => new RefHostArg((uint)h.Address),
            ExternRef { Inner: HostRef h } when h.Address <= uint.MaxValue => new RefExternArg((uint)h.Address),
            var r => new RefArg(KindOf(r)),
        },
    };

    /// <summary>The most specific abstract heap type of a non-null reference.</summary>
    static AbsHeapType KindOf(Ref r) => r switch
    {
        I31Ref => AbsHeapType.I31,
        StructInst => AbsHeapType.Struct,
        ArrayInst => AbsHeapType.Array,
        FuncInst => AbsHeapType.Func,
        ExnInst => AbsHeapType.Exn,
        ExternRef => AbsHeapType.Extern,
        _ => AbsHeapType.Any,
    };
}
