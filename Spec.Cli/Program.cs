using System.Reflection;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>The wasmspec command: each subcommand is a thin layer over one chapter's entry point.</summary>
public static class Program
{
    /// <summary>A subcommand: its usage (what --help prints), the options it knows (those that take a value marked), and what runs it.</summary>
    internal sealed record Command(string Name, string Usage, string[] Flags, string[] Valued, Func<string[], int> Run, bool GuestArgs = false);

    internal static readonly Command[] Commands =
    [
        new("run", RunCommand.Usage, ["--help", "-h"],
            ["--dir", "--env", "--engine", "--invoke", "--features", "--fuel", "--timeout", "--max-memory", "--max-table-elements", "--max-gc-heap",
             "--max-instances", "--max-memories", "--max-tables", "--max-call-depth", "--max-fds"], RunCommand.Run, GuestArgs: true),
        new("validate", ValidateCommand.Usage, [], ["--features"], ValidateCommand.Run),
        new("trace", TraceCommand.Usage, ["--exact", "--explain"], ["--invoke", "--limit", "--spec", "--features", "--html"], TraceCommand.Run),
        new("dump", DumpCommand.Usage, [], [], DumpCommand.Run),
        new("jit-dump", JitDumpCommand.Usage, [], ["--func"], JitDumpCommand.Run),
        new("wasm2wat", ConvertCommands.Wasm2WatUsage, [], ["-o"], ConvertCommands.Wasm2Wat),
        new("wat2wasm", ConvertCommands.Wat2WasmUsage, [], ["-o"], ConvertCommands.Wat2Wasm),
        new("wasi-test", WasiTestCommand.Usage, ["--all"], ["--engine", "--expect-failures", "--timeout"], WasiTestCommand.Run),
        new("fuzz", FuzzCommand.Usage, ["--no-reduce"], ["--seed", "--count", "--engines", "--features", "--out", "--node", "--validators", "--wabt-every"], FuzzCommand.Run),
    ];

    const string Usage = """
        usage: wasmspec COMMAND [OPTION...] ...    (wasmspec COMMAND --help for a command's options)
          run [OPTION...] FILE [ARG...]   run a WASI command, or call an export and print its results
          validate [--features LIST] FILE "valid", or the rule, position and message that reject the module
          trace FILE --invoke NAME ARG... [--limit N] [--html OUT] [--features LIST]
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
          --help, -h                      this text
          --version                       the version
        """;

    /// <summary>The version the package was built as (its informational version).</summary>
    internal static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static int Main(string[] args)
    {
        switch (args)
        {
            case [] :
                Console.Error.WriteLine(Usage);
                return ExitStatus.Usage;
            case ["--help" or "-h" or "help", ..]:
                Console.Out.WriteLine(Usage);
                return ExitStatus.Success;
            case ["--version" or "-V", ..]:
                Console.Out.WriteLine($"wasmspec {Version(typeof(Program).Assembly)}");
                return ExitStatus.Success;
        }
        if (Commands.FirstOrDefault(c => c.Name == args[0]) is not { } command)
        {
            Console.Error.WriteLine($"wasmspec: unknown command {args[0]}\n{Usage}");
            return ExitStatus.Usage;
        }
        var rest = args[1..];
        switch (Check(command, rest))
        {
            case Wanted.Help:
                Console.Out.WriteLine(command.Usage);
                return ExitStatus.Success;
            case Wanted.Unknown(var option):
                Console.Error.WriteLine($"wasmspec {command.Name}: unknown option {option}\n{command.Usage}");
                return ExitStatus.Usage;
        }
        return command.Run(rest);
    }

    /// <summary>What the options before the command's work ask for: help, an option it does not know, or nothing special.</summary>
    internal abstract record Wanted
    {
        public sealed record Help : Wanted;
        public sealed record Unknown(string Option) : Wanted;
        public sealed record Run : Wanted;
    }

    /// <summary>
    /// Scans the options: --help or -h anywhere (before <c>--</c>, and for <c>run</c> before the module file, after which
    /// the arguments are the program's) asks for help; an option the command does not know is reported. An option is
    /// "--name" or a dash and one letter, so negative numbers pass as arguments.
    /// </summary>
    internal static Wanted Check(Command command, string[] args)
    {
        Wanted found = new Wanted.Run();
        for (int k = 0; k < args.Length; k++)
        {
            var a = args[k];
            if (a == "--") break;
            if (a is "--help" or "-h") return new Wanted.Help();
            bool option = a.StartsWith("--", StringComparison.Ordinal) || (a.Length == 2 && a[0] == '-' && char.IsLetter(a[1]));
            if (!option)
            {
                if (command.GuestArgs) break;
                continue;
            }
            if (command.Valued.Contains(a)) k++;
            else if (!command.Flags.Contains(a) && found is Wanted.Run) found = new Wanted.Unknown(a);
        }
        return found;
    }
}
