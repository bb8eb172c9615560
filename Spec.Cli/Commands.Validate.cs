using Spec.Syntax;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>
/// wasmspec validate [--features LIST] FILE: decodes or parses the module and validates it (§3), by Wasm 3.0 or as the
/// feature switches say. Prints "valid", or the error with its rule, position and message.
/// Exit status: 0 valid, 1 malformed or invalid, 2 bad usage or unreadable file.
/// </summary>
internal static class ValidateCommand
{
    internal const string Usage = """
        usage: wasmspec validate [--features LIST] FILE.wasm|FILE.wat
          prints "valid" (exit 0), or on stderr the rule, position and message that reject the module (exit 1)
          --features LIST   Wasm 3.0 with the comma-separated switches turned off (-name) or on (name), or "all":
                            multi-memory, multi-table, memory64, threads, wide-arithmetic, custom-page-sizes,
                            custom-descriptors, legacy-exceptions
        """;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        var features = Features.Default;
        if (args is ["--features", var list, ..])
        {
            try { features = Features.Parse(list); }
            catch (ArgumentException e) { errors.WriteLine($"wasmspec validate: {e.Message}"); return ExitStatus.Usage; }
            args = args[2..];
        }
        if (args.Length != 1)
        {
            errors.WriteLine(args.Length == 0 ? $"wasmspec validate: no module file given\n{Usage}" : $"wasmspec validate: one module file at a time\n{Usage}");
            return ExitStatus.Usage;
        }
        if (ModuleFiles.TryLoadValid("validate", args[0], errors, out _, features) is int status) return status;
        output.WriteLine("valid");
        return ExitStatus.Success;
    }
}
