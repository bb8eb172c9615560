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
    const string Usage = "usage: wasmspec validate [--features LIST] FILE.wasm|FILE.wat";

    public static int Run(string[] args) => Run(args, Console.Out);

    internal static int Run(string[] args, TextWriter output)
    {
        var features = Features.Default;
        if (args is ["--features", var list, ..])
        {
            try { features = Features.Parse(list); }
            catch (ArgumentException e) { Console.Error.WriteLine($"wasmspec validate: {e.Message}"); return ExitStatus.Usage; }
            args = args[2..];
        }
        if (args.Length != 1)
        {
            Console.Error.WriteLine(Usage);
            return ExitStatus.Usage;
        }
        if (ModuleFiles.TryLoadValid(args[0], output, out _, features) is int status) return status;
        output.WriteLine("valid");
        return ExitStatus.Success;
    }
}
