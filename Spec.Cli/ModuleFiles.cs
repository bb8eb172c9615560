using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>Reading a module from a file in either format: the binary magic "\0asm" decides, not the extension.</summary>
internal static class ModuleFiles
{
    public static Module Load(string path, Features? features = null)
    {
        var bytes = File.ReadAllBytes(path);
        return IsBinary(bytes) ? Binary.Decode(bytes, features ?? Features.Default) : Text.Parse(bytes, features ?? Features.Default);
    }

    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\0asm"u8);

    /// <summary>
    /// Loads and validates <paramref name="path"/>, reporting a malformed or invalid module on <paramref name="output"/>
    /// and an unreadable file on standard error. Returns null when it succeeded, else the exit status (1 or 2).
    /// </summary>
    public static int? TryLoadValid(string path, TextWriter output, out Module module, Features? features = null)
    {
        module = null!;
        try
        {
            module = Load(path, features);
            Validator.Validate(module, features ?? Features.Default);
            return null;
        }
        catch (ValidationException e)
        {
            output.WriteLine($"{path}: invalid: {e.Rule}: {e.Position}: {e.Reason}");
            return ExitStatus.Failed;
        }
        catch (WasmException e)
        {
            output.WriteLine($"{path}: malformed: {e.Position}: {e.Reason}");
            return ExitStatus.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{path}: {e.Message}");
            return ExitStatus.Usage;
        }
    }
}
