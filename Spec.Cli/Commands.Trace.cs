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
/// wasmspec trace FILE --invoke NAME ARG... [--limit N]: instantiates the module (it may import nothing) and
/// invokes an export step by step, printing each step's number, the SpecTec rule applied, and the redex's
/// surroundings before and after, then the results. Exit status (<see cref="ExitStatus"/>): 0 results, 1 rejected
/// module, unknown import or export, 2 bad usage or unreadable file, 134 a trap, 135 exhaustion or the step limit reached.
/// </summary>
internal static class TraceCommand
{
    internal const string Usage = """
        usage: wasmspec trace FILE.wasm|FILE.wat --invoke NAME [ARG...] [--limit N]
          invokes the export NAME with the ARGs, printing every reduction step with the SpecTec rule applied
          --limit N   stop after N steps (exit 135)
        """;

    /// <summary>How many values and instructions each side of a step shows.</summary>
    const int Shown = 8;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (!TryParseArgs(args, out var path, out var name, out var rawArgs, out var limit))
        {
            errors.WriteLine($"wasmspec trace: a module file and --invoke NAME are needed\n{Usage}");
            return ExitStatus.Usage;
        }
        if (ModuleFiles.TryLoadValid("trace", path, errors, out var module) is int status) return status;

        if (module.Imports.Length > 0)
        {
            var import = module.Imports[0];
            errors.WriteLine($"{path}: unknown import \"{import.Module}\" \"{import.Name}\" (trace runs modules without imports)");
            return ExitStatus.Failed;
        }
        var store = new Store();
        try
        {
            var instance = Instantiation.Instantiate(store, module, (_, _) => null);
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
                if (ParseArg(rawArgs[k], type.Params[k]) is not { } v)
                {
                    errors.WriteLine($"wasmspec trace: argument {k + 1} \"{rawArgs[k]}\" is not a valid {type.Params[k]}");
                    return ExitStatus.Usage;
                }
                values[k] = v;
            }
            return Steps(new Interpreter(store), func.Inst, values, limit, module, output, errors);
        }
        catch (WasmException e)
        {
            errors.WriteLine($"{path}: {e.Message}");
            return ExitStatus.Of(e);
        }
    }

    /// <summary>Steps the invocation, printing each step; stops at the configuration's values, a trap, or the limit.</summary>
    static int Steps(Interpreter z, FuncInst func, Value[] args, long limit, Module module, TextWriter output, TextWriter errors)
    {
        string Show(Instr i) => Text.Print(i, module);
        z.Begin(func, args);
        var before = z.Current(Shown, Show);
        try
        {
            while (!z.Done)
            {
                if (z.Steps >= limit)
                {
                    errors.WriteLine($"wasmspec trace: stopped after {limit} steps (--limit N for more)");
                    return ExitStatus.Exhausted;
                }
                var rule = z.Step();
                var after = z.Current(Shown, Show);
                output.WriteLine($"{z.Steps,6}  {rule}");
                output.WriteLine($"        {before}");
                output.WriteLine($"     ~> {after}");
                before = after;
            }
        }
        catch (WasmException e)
        {
            errors.WriteLine($"{z.Steps,6}  {(e is TrapException ? "trap" : e is ExhaustionException ? "exhaustion" : "error")}: {e.Message}");
            return ExitStatus.Of(e);
        }
        output.WriteLine($"results: {(z.Results.Count == 0 ? "(none)" : string.Join(' ', z.Results))}");
        return ExitStatus.Success;
    }

    static bool TryParseArgs(string[] args, out string path, out string name, out List<string> values, out long limit)
    {
        path = name = "";
        values = [];
        limit = 10_000;
        string? file = null, export = null;
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
                case var a when a.StartsWith("--", StringComparison.Ordinal): return false;
                default:
                    if (file is not null) return false;
                    file = args[i];
                    break;
            }
        }
        if (file is null || export is null) return false;
        (path, name) = (file, export);
        return true;
    }

    /// <summary>A command-line argument as a value of type <paramref name="t"/>: integers in decimal or 0x hex
    /// (either sign), floats in decimal, nan or inf (signed); null if it is not one.</summary>
    internal static Value? ParseArg(string s, ValType t)
    {
        if (t is not NumValType n) return null;
        s = s.Replace("_", "");
        return n.Type switch
        {
            NumType.I32 => ParseInt(s, 32) is { } b ? Value.I32((uint)b) : null,
            NumType.I64 => ParseInt(s, 64) is { } b ? Value.I64(b) : null,
            NumType.F32 => ParseFloat(s) is { } d ? Value.F32Bits(double.IsNaN(d) ? (double.IsNegative(d) ? 0xFFC0_0000u : 0x7FC0_0000u) : BitConverter.SingleToUInt32Bits((float)d)) : null,
            _ => ParseFloat(s) is { } d ? Value.F64Bits(double.IsNaN(d) ? (double.IsNegative(d) ? 0xFFF8_0000_0000_0000ul : 0x7FF8_0000_0000_0000ul) : BitConverter.DoubleToUInt64Bits(d)) : null,
        };
    }

    /// <summary>The bits of a signed or unsigned integer that fits <paramref name="width"/> bits.</summary>
    static ulong? ParseInt(string s, int width)
    {
        bool negative = s.StartsWith('-');
        var digits = negative || s.StartsWith('+') ? s[1..] : s;
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!ulong.TryParse(hex ? digits[2..] : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            return null;
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        if (negative)
            return m <= 1UL << (width - 1) ? (0 - m) & mask : null;
        return m <= mask ? m : null;
    }

    /// <summary>A decimal float, nan or inf; the sign of a NaN is kept (double.IsNegative tells it).</summary>
    static double? ParseFloat(string s)
    {
        bool negative = s.StartsWith('-');
        var body = negative || s.StartsWith('+') ? s[1..] : s;
        if (body == "nan") return BitConverter.UInt64BitsToDouble(negative ? 0xFFF8_0000_0000_0000ul : 0x7FF8_0000_0000_0000ul);
        if (body is "inf" or "infinity") return negative ? double.NegativeInfinity : double.PositiveInfinity;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }
}
