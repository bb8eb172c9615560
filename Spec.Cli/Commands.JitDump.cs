using Spec.Wast;
using System.Collections.Immutable;
using Spec.Execution;
using Spec.Native;
using Spec.Syntax;
using Spec.TextFormat;
using Store = Spec.Execution.Store;

namespace Spec.Cli;

/// <summary>
/// wasmspec jit-dump FILE [--func NAME|INDEX]: compiles the module with the JIT and prints each function's machine
/// code, disassembled, under the Wasm instruction it came from: how Wasm maps to a real machine. Imports are
/// stood in for by values of their types (their code is not compiled here); the start function is not run.
/// Exit status: 0 printed, 1 rejected module or no such function, 2 bad usage or unreadable file.
/// </summary>
internal static class JitDumpCommand
{
    internal const string Usage = """
        usage: wasmspec jit-dump FILE.wasm|FILE.wat [--func NAME|INDEX]
          each function's x86-64 code from the JIT, under the Wasm instruction it came from
          --func NAME|INDEX   only that function
        """;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter output, TextWriter? errors = null)
    {
        errors ??= Console.Error;
        string? path = null, func = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--func" && i + 1 < args.Length) func = args[++i];
            else if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal)) path = args[i];
            else { errors.WriteLine($"wasmspec jit-dump: unexpected argument {args[i]}\n{Usage}"); return ExitStatus.Usage; }
        }
        if (path is null) { errors.WriteLine($"wasmspec jit-dump: no module file given\n{Usage}"); return ExitStatus.Usage; }
        if (Jit.Unsupported is { } why) { errors.WriteLine($"wasmspec jit-dump: {why}"); return ExitStatus.Usage; }
        if (ModuleFiles.TryLoadValid("jit-dump", path, errors, out var module) is int status) return status;

        var store = new Store(new Jit(new JitOptions { Listing = true }));
        ModuleInstance instance;
        try
        {
            instance = Instantiation.Instantiate(store, module with { Start = null }, StandIns(store, module));
        }
        catch (WasmException e)
        {
            errors.WriteLine($"{path}: {e.Message}");
            return ExitStatus.Failed;
        }
        var listings = Jit.Listings(instance);
        var selected = func is null ? listings : listings.Where(l => Matches(module, l.Function, func)).ToList();
        if (selected.Count == 0)
        {
            output.WriteLine($"{path}: no function {func}");
            return 1;
        }
        foreach (var l in selected) Print(module, l, output);
        return 0;
    }

    static bool Matches(Module m, int index, string func) =>
        int.TryParse(func, out var k) ? k == index : NameOf(m, index) == func;

    /// <summary>The function's name from the name section, else the name it is exported as.</summary>
    static string? NameOf(Module m, int index) =>
        m.Names.Funcs.Where(n => n.Index == index).Select(n => n.Name).FirstOrDefault()
        ?? m.Exports.FirstOrDefault(e => e.Index.Kind == ExternKind.Func && e.Index.Index == index)?.Name;

    static void Print(Module module, JitListing l, TextWriter output)
    {
        var name = NameOf(module, l.Function);
        output.WriteLine($"func {l.Function}{(name is null ? "" : $" \"{name}\"")} at 0x{l.Address:x} ({l.Code.Length} bytes)");
        if (l.NotCompiled is { } reason) output.WriteLine($"  ;; not compiled: {reason}");
        int mark = 0;
        foreach (var (offset, bytes, text) in Disassembly.Lines(l.Code, l.Address))
        {
            for (; mark < l.Marks.Count && l.Marks[mark].Offset <= offset; mark++)
            {
                var m = l.Marks[mark];
                output.WriteLine(m.Instr is { } i ? $"  ;; {Text.Print(i, module)}" : $"  ;; {m.Note}");
            }
            output.WriteLine($"  {offset:x5}  {bytes,-24}  {text}");
        }
        output.WriteLine();
    }

    /// <summary>Values of the import types, so the module can be instantiated for compiling alone.</summary>
    static ImmutableArray<ExternVal> StandIns(Store store, Module module)
    {
        var types = Validation.Validator.Validate(module, Features.Default).Imports;
        return [.. types.Select(t => t switch
        {
            FuncExtern f => (ExternVal)new ExternVal.Func(Embedding.AllocFunc(store, (FuncType)Validation.Types.Expand((DefType)f.Type),
                _ => throw new InvalidOperationException("jit-dump does not run code"))),
            TableExtern tt => new ExternVal.Table(Embedding.AllocTable(store, tt.Type)),
            MemExtern mm => new ExternVal.Mem(Embedding.AllocMem(store, mm.Type)),
            GlobalExtern g => new ExternVal.Global(Embedding.AllocGlobal(store, g.Type, Value.Default(g.Type.Type) ?? Value.Null)),
            TagExtern tg => new ExternVal.Tag(Embedding.AllocTag(store, (FuncType)Validation.Types.Expand((DefType)tg.Type))),
            _ => throw new InvalidOperationException("unknown import kind"),
        })];
    }
}
