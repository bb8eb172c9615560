using Spec.Wast;

namespace Spec.Cli;

/// <summary>The wasmspec command: each subcommand is a thin layer over one chapter's entry point.</summary>
public static class Program
{
    const string Usage = """
        usage: wasmspec COMMAND ...
          run [--dir HOST[::GUEST][:ro]] [--env K=V] [--features LIST] [--fuel N] [--invoke NAME] FILE [ARG...]
                                          run a WASI command, or call an export and print its results
          validate [--features LIST] FILE "valid", or the rule, position and message that reject the module
          trace FILE --invoke NAME ARG... [--limit N] [--features LIST]
                                          invoke an export step by step, printing each rule applied
          dump FILE.wasm                  the sections and disassembled code of a binary module
          jit-dump FILE [--func NAME|INDEX]
                                          each function's x86-64 code from the JIT, under the Wasm it came from
          wasm2wat FILE.wasm [-o OUT]     the module in the text format
          wat2wasm FILE.wat [-o OUT]      the module in the binary format
          wasi-test [--all] [--expect-failures FILE] [DIR...]
                                          run WASI testsuite programs against their expectations
          fuzz [--seed N] [--count N] [--engines interp,jit,node,wabt] [--features LIST] [--out DIR]
                                          check generated modules, and compare their runs on the engines
          fuzz --validators N [--engines node,wabt]
                                          compare validators on near-valid and mutated modules
        """;

    public static int Main(string[] args)
    {
        var rest = args.Length > 0 ? args[1..] : [];
        switch (args.FirstOrDefault())
        {
            case "run": return RunCommand.Run(rest);
            case "validate": return ValidateCommand.Run(rest);
            case "trace": return TraceCommand.Run(rest);
            case "dump": return DumpCommand.Run(rest);
            case "jit-dump": return JitDumpCommand.Run(rest);
            case "wasm2wat": return ConvertCommands.Wasm2Wat(rest);
            case "wat2wasm": return ConvertCommands.Wat2Wasm(rest);
            case "wasi-test": return WasiTestCommand.Run(rest);
            case "fuzz": return FuzzCommand.Run(rest);
            default:
                Console.Error.WriteLine(Usage);
                return ExitStatus.Usage;
        }
    }
}
