using Spec.Syntax;
using Spec.Validation;

namespace Spec.Cli;

/// <summary>
/// wasmspec validate FILE: decodes or parses the module and validates it (§3). Prints "valid", or the error with its
/// rule, position and message. Exit status: 0 valid, 1 malformed or invalid, 2 bad usage or unreadable file.
/// </summary>
internal static class ValidateCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: wasmspec validate FILE.wasm|FILE.wat");
            return 2;
        }
        var path = args[0];
        try
        {
            Validator.Validate(ModuleFiles.Load(path));
            Console.WriteLine("valid");
            return 0;
        }
        catch (ValidationException e)
        {
            Console.WriteLine($"{path}: invalid: {e.Rule}: {e.Position}: {e.Reason}");
            return 1;
        }
        catch (WasmException e)
        {
            Console.WriteLine($"{path}: malformed: {e.Position}: {e.Reason}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{path}: {e.Message}");
            return 2;
        }
    }
}
