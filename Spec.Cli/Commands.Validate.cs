namespace Spec.Cli;

/// <summary>
/// wasmspec validate FILE: decodes or parses the module and validates it (§3). Prints "valid", or the error with its
/// rule, position and message. Exit status: 0 valid, 1 malformed or invalid, 2 bad usage or unreadable file.
/// </summary>
internal static class ValidateCommand
{
    public static int Run(string[] args) => Run(args, Console.Out);

    internal static int Run(string[] args, TextWriter output)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: wasmspec validate FILE.wasm|FILE.wat");
            return 2;
        }
        if (ModuleFiles.TryLoadValid(args[0], output, out _) is int status) return status;
        output.WriteLine("valid");
        return 0;
    }
}
