using System.Globalization;
using Spec.Execution;
using Spec.Execution.Reduction;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using Spec.Wast;
using Store = Spec.Execution.Store;

namespace Spec.Cli;

/// <summary>
/// wasmspec trace FILE --invoke NAME ARG... [--limit N] [--exact]: instantiates the module (it may import nothing) and
/// invokes an export step by step, printing each step's number, the SpecTec rule applied, the configuration before and
/// after it in the spec's notation (values as WAT constants, FRAME_n{locals}, LABEL_n{...}, HANDLER_n{...}, references
/// by address), and what the step changed in the store; then the results. Instantiation's steps (constant
/// expressions, the start function) count toward the limit. --explain prints each rule's SpecTec source under its step,
/// with the operands its left-hand side names. Exit status (<see cref="ExitStatus"/>): 0 results, 1 rejected module, unknown import or export, 2 bad
/// usage or unreadable file, 134 a trap, 135 exhaustion or the step limit reached.
/// </summary>
internal static class TraceCommand
{
    internal const string Usage = """
        usage: wasmspec trace FILE.wasm|FILE.wat --invoke NAME [ARG...] [--limit N] [--exact] [--explain [--spec DIR]] [--features LIST]
          invokes the export NAME with the ARGs, printing every reduction step with the SpecTec rule applied
          --limit N   stop after N steps (exit 135); the start function's steps count too
          --exact     unfold the recursion of bulk memory and table operations into single steps
          --explain   print each rule's SpecTec source and the operands it names (--spec DIR: the spec's SpecTec sources)
          --features LIST   validate and run by these features (as validate --features)
        """;

    /// <summary>How many tokens each configuration shows at most (the middle is elided, never the redex).</summary>
    const int Shown = 48;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (!TryParseArgs(args, out var options))
        {
            errors.WriteLine($"wasmspec trace: a module file and --invoke NAME are needed\n{Usage}");
            return ExitStatus.Usage;
        }
        var (path, name, rawArgs, limit, exact, explain, specDir, features) = options;
        SpecRules? rules = null;
        if (explain)
        {
            rules = SpecRules.Load(specDir);
            if (rules is null)
            {
                Console.Error.WriteLine("wasmspec trace: --explain needs the spec's SpecTec sources: --spec DIR, else ../shared/spec/spectec beside the checkout");
                return ExitStatus.Usage;
            }
        }
        if (ModuleFiles.TryLoadValid("trace", path, errors, out var module, features) is int status) return status;

        if (module.Imports.Length > 0)
        {
            var import = module.Imports[0];
            errors.WriteLine($"{path}: unknown import \"{import.Module}\" \"{import.Name}\" (trace runs modules without imports)");
            return ExitStatus.Failed;
        }
        // Instantiation evaluates constant expressions and runs the start function: their steps are named, counted, and stopped at the limit.
        long startSteps = 0;
        void StartStep(string rule)
        {
            if (rule.StartsWith("Step/ctxt-", StringComparison.Ordinal)) return; // implicit in every step
            if (++startSteps > limit) throw new StepLimitReached();
            output.WriteLine($"{startSteps,6}  {rule}  (instantiation)");
        }
        var store = new Store(policy: StorePolicy.Default with { Trace = StartStep, ExactSteps = exact });
        try
        {
            var instance = Instantiation.Instantiate(store, module, (_, _) => null, features);
            if (instance.Export(name) is not ExternVal.Func func)
            {
                errors.WriteLine($"{path}: no function exported as \"{name}\"");
                return ExitStatus.Failed;
            }
            var type = Embedding.TypeOf(func.Inst);
            if (rawArgs.Count != type.Params.Length)
            {
                errors.WriteLine($"wasmspec trace: \"{name}\" takes {Arguments.Count(type.Params.Length)} ({string.Join(' ', type.Params)}), got {rawArgs.Count}");
                return ExitStatus.Usage;
            }
            var values = new Value[rawArgs.Count];
            for (int k = 0; k < values.Length; k++)
            {
                if (CommandLineValues.Parse(rawArgs[k], type.Params[k]) is not { } v)
                {
                    errors.WriteLine($"wasmspec trace: argument {k + 1} \"{rawArgs[k]}\" is not a valid {type.Params[k]}");
                    return ExitStatus.Usage;
                }
                values[k] = v;
            }
            return Steps(new Interpreter(store), func.Inst, values, limit - startSteps, startSteps, module, store, output, errors, rules);
        }
        catch (StepLimitReached)
        {
            errors.WriteLine($"wasmspec trace: stopped after {limit} steps (--limit N for more)");
            return ExitStatus.Exhausted;
        }
        catch (WasmException e)
        {
            errors.WriteLine($"{path}: {e.Message}");
            return ExitStatus.Of(e);
        }
    }

    sealed class StepLimitReached : Exception;

    /// <summary>Steps the invocation, printing each step; stops at the configuration's values, a trap, or the limit.</summary>
    static int Steps(Interpreter z, FuncInst func, Value[] args, long limit, long before0, Module module, Store store, TextWriter output,
        TextWriter errors, SpecRules? rules)
    {
        var notation = new TraceNotation(module, store, z);
        z.Begin(func, args);
        var before = z.Configuration(notation, Shown);
        var beforeTokens = rules is null ? default : z.ConfigurationTokens(notation);
        try
        {
            while (!z.Done)
            {
                if (z.Steps >= limit)
                {
                    errors.WriteLine($"wasmspec trace: stopped after {limit + before0} steps (--limit N for more)");
                    return ExitStatus.Exhausted;
                }
                var rule = z.Step();
                var after = z.Configuration(notation, Shown);
                output.WriteLine($"{z.Steps + before0,6}  {rule}");
                output.WriteLine($"        {before}");
                output.WriteLine($"     ~> {after}");
                foreach (var c in z.Changes) output.WriteLine($"        store: {notation.Change(c)}");
                if (rules is not null)
                {
                    rules.Explain(rule, beforeTokens, output);
                    beforeTokens = z.ConfigurationTokens(notation);
                }
                before = after;
            }
        }
        catch (WasmException e)
        {
            errors.WriteLine($"{z.Steps + before0,6}  {(e is TrapException ? "trap" : e is ExhaustionException ? "exhaustion" : "error")}: {e.Message}");
            return ExitStatus.Of(e);
        }
        output.WriteLine($"results: {(z.Results.Count == 0 ? "(none)" : string.Join(' ', z.Results.Select(notation.Value)))}");
        return ExitStatus.Success;
    }

    internal readonly record struct Options(string Path, string Name, List<string> Values, long Limit, bool Exact, bool Explain, string? SpecDir, Features Features);

    static bool TryParseArgs(string[] args, out Options options)
    {
        options = default;
        var values = new List<string>();
        long limit = 10_000;
        bool exact = false, explain = false;
        var features = Features.Default;
        string? file = null, export = null, spec = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--invoke" when i + 1 < args.Length && export is null:
                    export = args[++i];
                    // Everything up to the next option is an argument; negative numbers are arguments too.
                    while (i + 1 < args.Length && !(args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                        values.Add(args[++i]);
                    break;
                case "--limit" when i + 1 < args.Length:
                    if (!long.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1) return false;
                    break;
                case "--exact": exact = true; break;
                case "--explain": explain = true; break;
                case "--spec" when i + 1 < args.Length: spec = args[++i]; break;
                case "--features" when i + 1 < args.Length:
                    try { features = Features.Parse(args[++i]); }
                    catch (ArgumentException) { return false; }
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal): return false;
                default:
                    if (file is not null) return false;
                    file = args[i];
                    break;
            }
        }
        if (file is null || export is null) return false;
        options = new Options(file, export, values, limit, exact, explain, spec, features);
        return true;
    }
}

/// <summary>
/// The trace's notation: values as WAT constants "(i32.const 7)" (floats exact, NaNs with sign and payload, v128 as
/// i32x4 lanes), references as the spec's administrative values "(REF.FUNC_ADDR 0)" with their store address, and
/// instructions as Spec.Text prints them, a block with its whole body.
/// </summary>
internal sealed class TraceNotation(Module module, Store store, Interpreter z) : INotation
{
    public string Value(Value v) => v.Kind switch
    {
        ValueKind.I32 => $"({Text.Print(new Const(NumType.I32, v.Bits))})",
        ValueKind.I64 => $"({Text.Print(new Const(NumType.I64, v.Bits))})",
        ValueKind.F32 => $"({Text.Print(new Const(NumType.F32, v.Bits))})",
        ValueKind.F64 => $"({Text.Print(new Const(NumType.F64, v.Bits))})",
        ValueKind.V128 => $"({Text.Print(new VConst(v.AsV128))})",
        _ => Ref(v.Ref),
    };

    string Ref(Ref? r) => r switch
    {
        null => "REF.NULL_ADDR",
        I31Ref i => $"(REF.I31_NUM {i.Value})",
        FuncInst f => $"(REF.FUNC_ADDR {IndexOf(store.Funcs, f)})",
        StructInst s => $"(REF.STRUCT_ADDR {z.AddressOf(s)})",
        ArrayInst a => $"(REF.ARRAY_ADDR {z.AddressOf(a)})",
        ExnInst e => $"(REF.EXN_ADDR {z.AddressOf(e)})",
        HostRef h => $"(REF.HOST_ADDR {h.Address})",
        ExternRef e => $"(REF.EXTERN {Ref(e.Inner)})",
        _ => r.ToString() ?? "?",
    };

    static int IndexOf<T>(IReadOnlyList<T> list, T item) where T : class
    {
        for (int k = 0; k < list.Count; k++) if (ReferenceEquals(list[k], item)) return k;
        return -1;
    }

    /// <summary>A block holding more instructions than this is shown by its opening and "…": whatever the
    /// program's size, a step prints a bounded amount.</summary>
    const int WholeBlockLimit = 64;

    /// <summary>An instruction in parentheses, as the spec writes each (a block folded: its body, no "end").</summary>
    public string Instr(Instr i)
    {
        if (!HoldsAtMost(i, WholeBlockLimit)) return $"({Head(i)} …)";
        var text = Text.PrintWhole(i, module);
        return $"({(text.EndsWith(" end", StringComparison.Ordinal) ? text[..^4] : text)})";
    }

    public string Head(Instr i) => Text.Print(i, module);

    /// <summary>Whether <paramref name="i"/> and the instructions nested in it number at most <paramref name="limit"/>
    /// (the walk stops past the limit, so a deep block costs no more than a shallow one).</summary>
    static bool HoldsAtMost(Instr i, int limit) => InstrPositions.PreOrder([i]).Take(limit + 1).Count() <= limit;

    public string Change(StoreChange c) =>
        c.Bytes is { } b ? $"{c.Place} = {string.Join(' ', b.Select(x => x.ToString("x2")))}" : $"{c.Place} = {(c.Value is { } v ? Value(v) : "")}";
}
