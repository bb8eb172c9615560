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
/// wasmspec trace FILE --invoke NAME ARG... [--limit N] [--exact] [--html OUT]: instantiates the module (it may import
/// nothing) and invokes an export step by step, printing each step's number, the SpecTec rule applied, the configuration
/// before and after it in the spec's notation (values as WAT constants, FRAME_n{locals}, LABEL_n{...}, HANDLER_n{...},
/// references by address), and what the step changed in the store; then the results. Instantiation's steps (constant
/// expressions by name, the start function as any other invocation) count toward the limit. --explain prints each
/// rule's SpecTec source under its step, with the operands its left-hand side names. --html OUT writes the same steps
/// as one page to step through (<see cref="TracePage"/>) instead of printing them. Exit status (<see cref="ExitStatus"/>):
/// 0 results, 1 rejected module, unknown import or export, 2 bad usage or unreadable file, 134 a trap, 135 exhaustion
/// or the step limit reached.
/// </summary>
internal static class TraceCommand
{
    internal const string Usage = """
        usage: wasmspec trace FILE.wasm|FILE.wat --invoke NAME [ARG...] [--limit N] [--exact] [--explain [--spec DIR]] [--html OUT.html] [--features LIST]
          invokes the export NAME with the ARGs, printing every reduction step with the SpecTec rule applied
          --limit N   stop after N steps (exit 135); the start function's steps count too
          --exact     unfold the recursion of bulk memory and table operations into single steps
          --explain   print each rule's SpecTec source and the operands it names (--spec DIR: the spec's SpecTec sources)
          --html OUT  write the steps as one self-contained page to step through, rule texts included, instead of printing them
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
        var (path, name, rawArgs, limit, exact, explain, specDir, features, html) = options;
        SpecRules? rules = null;
        if (explain || html is not null)
        {
            rules = SpecRules.Load(specDir);
            if (rules is null)
            {
                errors.WriteLine($"wasmspec trace: {(explain ? "--explain" : "--html")} needs the spec's SpecTec sources: --spec DIR, else ../shared/spec/spectec beside the checkout");
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
        // One source of steps: the text and the page are two ways of writing the same TraceSteps.
        TracePage? page = html is null ? null : new TracePage($"{Path.GetFileName(path)} --invoke {string.Join(' ', [name, .. rawArgs])}");
        ITraceSink sink = page is null ? new TextSink(output, explain) : page;
        int result = Trace(path, module, name, rawArgs, limit, exact, features, sink, errors, rules);
        if (page is not null)
        {
            try { page.Write(html!); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"wasmspec trace: cannot write {html}: {e.Message}");
                return ExitStatus.Usage;
            }
        }
        return result;
    }

    static int Trace(string path, Module module, string name, List<string> rawArgs, long limit, bool exact, Features features,
        ITraceSink sink, TextWriter errors, SpecRules? rules)
    {
        // Instantiation evaluates constant expressions: their steps are named, counted, and stopped at the limit.
        long startSteps = 0;
        void ConstantStep(string rule)
        {
            if (rule.StartsWith("Step/ctxt-", StringComparison.Ordinal)) return; // implicit in every step
            if (++startSteps > limit) throw new StepLimitReached();
            sink.Step(new TraceStep(startSteps, rule, TracePhase.Instantiation, null, null, [], null, null));
        }
        var located = new Located(module, print: sink.ShowsProgram);
        sink.Program(located.Text);
        var store = new Store(policy: StorePolicy.Default with { Trace = ConstantStep, ExactSteps = exact });
        try
        {
            // $instantiate ends in a configuration, z; {MODULE moduleinst}; instr_E* instr_D* (CALL x)?: the segments'
            // instructions and the start function's call, stepped as any configuration is.
            var (instance, init) = Instantiation.InstantiateToConfiguration(store, module, [], features);
            located.Index(instance);
            if (init.Count > 0)
            {
                var run = Steps(new Interpreter(store), z => z.BeginInstantiation(instance, init), limit, startSteps, TracePhase.Instantiation, located, store, sink, rules);
                if (run.Status is { } stopped) return Report(stopped, run.Message!, sink, errors);
                startSteps = run.Steps;
            }
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
            var invoked = Steps(new Interpreter(store), z => z.Begin(func.Inst, values), limit, startSteps, TracePhase.Invocation, located, store, sink, rules);
            return invoked.Status is { } end ? Report(end, invoked.Message!, sink, errors) : ExitStatus.Success;
        }
        catch (StepLimitReached)
        {
            return Report(ExitStatus.Exhausted, $"wasmspec trace: stopped after {limit} steps (--limit N for more)", sink, errors);
        }
        catch (WasmException e)
        {
            return Report(ExitStatus.Of(e), $"{path}: {e.Message}", sink, errors);
        }
    }

    /// <summary>How a trace ends other than with results: said on standard error, and at the end of the page.</summary>
    static int Report(int status, string message, ITraceSink sink, TextWriter errors)
    {
        errors.WriteLine(message);
        sink.End(message);
        return status;
    }

    sealed class StepLimitReached : Exception;

    /// <summary>The instructions of the printed program by function instance and position: where each redex is printed.
    /// Only a page shows the program: for the text, nothing is printed and no step has a line.</summary>
    internal sealed class Located
    {
        readonly IReadOnlyDictionary<(uint Func, uint Instr), int>? lines;
        readonly Dictionary<FuncInst, uint> index = new(ReferenceEqualityComparer.Instance);

        public Located(Module module, bool print)
        {
            Module = module;
            if (print) (Text, lines) = TextFormat.Text.PrintLocated(module);
        }

        /// <summary>Names the functions of the module's instance by their indices.</summary>
        public void Index(ModuleInstance instance)
        {
            for (int k = 0; k < instance.Funcs.Count; k++) index.TryAdd(instance.Funcs[k], (uint)k);
        }

        public Module Module { get; }

        /// <summary>The program as the text printer prints it.</summary>
        public string Text { get; } = "";

        /// <summary>The line (from 0) of the instruction the redex is or came from; null if it is none of the program's.</summary>
        public int? LineOf(Interpreter z) =>
            lines is not null && z.RedexSource() is var (f, position) && index.TryGetValue(f, out var x) && lines.TryGetValue((x, (uint)position), out var line) ? line : null;
    }

    /// <summary>How stepping one invocation ended: its step count, and unless with results, the exit status and the message.</summary>
    readonly record struct Stepped(long Steps, int? Status, string? Message);

    /// <summary>Steps an invocation, giving each step to the sink; stops at the configuration's values, a trap, or the limit.</summary>
    static Stepped Steps(Interpreter z, Action<Interpreter> begin, long limit, long before0, TracePhase phase, Located located, Store store,
        ITraceSink sink, SpecRules? rules)
    {
        var notation = new TraceNotation(located.Module, store, z);
        begin(z);
        // Each configuration is made once, as tokens: the printed text and the rule's explanation both read them.
        var beforeTokens = z.ConfigurationTokens(notation);
        var before = Interpreter.Elided(beforeTokens, Shown);
        try
        {
            while (!z.Done)
            {
                if (z.Steps + before0 >= limit)
                    return new(z.Steps + before0, ExitStatus.Exhausted, $"wasmspec trace: stopped after {limit} steps (--limit N for more)");
                var line = located.LineOf(z);
                var rule = z.Step();
                var afterTokens = z.ConfigurationTokens(notation);
                var after = Interpreter.Elided(afterTokens, Shown);
                string? explanation = null;
                if (rules is not null)
                {
                    var text = new StringWriter { NewLine = "\n" };
                    rules.Explain(rule, beforeTokens, text);
                    explanation = text.ToString();
                }
                beforeTokens = afterTokens;
                sink.Step(new TraceStep(z.Steps + before0, rule, phase, before, after, [.. z.Changes.Select(notation.Change)], explanation, line));
                before = after;
            }
        }
        catch (WasmException e)
        {
            return new(z.Steps + before0, ExitStatus.Of(e),
                $"{z.Steps + before0,6}  {(e is TrapException ? "trap" : e is ExhaustionException ? "exhaustion" : "error")}: {e.Message}");
        }
        sink.Results(phase, z.Results.Count == 0 ? "(none)" : string.Join(' ', z.Results.Select(notation.Value)));
        return new(z.Steps + before0, null, null);
    }

    internal readonly record struct Options(string Path, string Name, List<string> Values, long Limit, bool Exact, bool Explain, string? SpecDir, Features Features, string? Html);

    static bool TryParseArgs(string[] args, out Options options)
    {
        options = default;
        var values = new List<string>();
        long limit = 10_000;
        bool exact = false, explain = false;
        var features = Features.Default;
        string? file = null, export = null, spec = null, html = null;
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
                case "--html" when i + 1 < args.Length: html = args[++i]; break;
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
        options = new Options(file, export, values, limit, exact, explain, spec, features, html);
        return true;
    }
}

/// <summary>Which part of the run a step belongs to: instantiation's constant expressions, the start function, the invocation.</summary>
/// <summary>$instantiate (constant expressions, then its configuration's segments and start call), or $invoke.</summary>
internal enum TracePhase { Instantiation, Invocation }

/// <summary>
/// One step as the trace shows it: its number, the rule, the configuration before and after it (none for a step of a
/// constant expression), what it changed in the store, the rule's SpecTec text under --explain or --html, and the line
/// of the printed program where its redex stands.
/// </summary>
internal sealed record TraceStep(long Number, string Rule, TracePhase Phase, string? Before, string? After, IReadOnlyList<string> Store,
    string? Explanation, int? Line);

/// <summary>Where a trace's steps go: printed as text, or gathered into a page.</summary>
internal interface ITraceSink
{
    /// <summary>Whether the steps are shown beside the program, each redex marked on its line.</summary>
    bool ShowsProgram { get; }
    /// <summary>The program as the text printer prints it, where the steps' lines are (empty unless <see cref="ShowsProgram"/>).</summary>
    void Program(string text);
    void Step(TraceStep step);
    /// <summary>An invocation (the start function, or the export) reduced to values.</summary>
    void Results(TracePhase phase, string values);
    /// <summary>The trace ended otherwise: a trap, exhaustion, the limit.</summary>
    void End(string message);
}

/// <summary>The trace as text, a step in three lines (or one, for a constant expression's step), then the results.</summary>
internal sealed class TextSink(TextWriter output, bool explain) : ITraceSink
{
    public bool ShowsProgram => false; // the text trace names the file
    public void Program(string text) { }
    public void Step(TraceStep s)
    {
        if (s.Before is null)
        {
            output.WriteLine($"{s.Number,6}  {s.Rule}  (instantiation)");
            return;
        }
        output.WriteLine($"{s.Number,6}  {s.Rule}{(s.Phase == TracePhase.Instantiation ? "  (instantiation)" : "")}");
        output.WriteLine($"        {s.Before}");
        output.WriteLine($"     ~> {s.After}");
        foreach (var c in s.Store) output.WriteLine($"        store: {c}");
        if (explain && s.Explanation is { } e) output.Write(e);
    }

    public void Results(TracePhase phase, string values)
    {
        if (phase == TracePhase.Invocation) output.WriteLine($"results: {values}");
    }

    public void End(string message) { } // said on standard error
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
