using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>A file named on the command line that cannot be read as a module file, said so a user can act on it.</summary>
internal sealed class UnreadableFile(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>Reading a module from a file in either format: the binary magic "\0asm" decides, not the extension.</summary>
internal static class ModuleFiles
{
    /// <summary>The bytes of <paramref name="path"/>; an <see cref="UnreadableFile"/> saying why not (no such file, a directory, no permission).</summary>
    public static byte[] Read(string path)
    {
        if (Directory.Exists(path)) throw new UnreadableFile($"{path}: is a directory, not a module file");
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new UnreadableFile($"{path}: no such file", e); }
        catch (UnauthorizedAccessException e) { throw new UnreadableFile($"{path}: permission denied", e); }
        catch (IOException e) { throw new UnreadableFile($"{path}: cannot be read: {e.Message}", e); }
    }

    /// <summary>A module in either format, not yet validated. An empty file, or text that is not the text format, is a <see cref="NotAModule"/>.</summary>
    public static Module Load(string path, Features? features = null)
    {
        var bytes = Read(path);
        if (bytes.Length == 0) throw new NotAModule("the file is empty, not a WebAssembly module");
        if (IsBinary(bytes)) return Binary.Decode(bytes, features ?? Features.Default);
        try { return Text.Parse(bytes, features ?? Features.Default); }
        catch (ParseException e) when (LooksBinary(bytes) || e.Position == "1:1")
        {
            throw new NotAModule($"not a WebAssembly module: no binary magic (\\0asm) and not the text format ({e.Position}: {e.Reason})");
        }
    }

    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\0asm"u8);

    // Bytes that are not text at all (a truncated magic, another binary format): a NUL or other control byte.
    static bool LooksBinary(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, 64)].IndexOfAnyInRange((byte)0, (byte)8) >= 0;

    /// <summary>What a rejected module is reported as: "malformed" or "invalid" with the rule, position and reason.</summary>
    public static string Rejection(string path, WasmException e) => e switch
    {
        ValidationException v => $"{path}: invalid: {v.Rule}: {v.Position}: {v.Reason}",
        NotAModule n => $"{path}: {n.Reason}",
        _ => $"{path}: malformed: {e.Position}: {e.Reason}",
    };

    /// <summary>
    /// Loads and validates <paramref name="path"/>, reporting a malformed or invalid module or an unreadable file on
    /// <paramref name="errors"/>. Returns null when it succeeded, else the exit status (1 or 2).
    /// </summary>
    public static int? TryLoadValid(string command, string path, TextWriter errors, out Module module, Features? features = null)
    {
        module = null!;
        try
        {
            module = Load(path, features);
            Validator.Validate(module, features ?? Features.Default);
            return null;
        }
        catch (WasmException e)
        {
            errors.WriteLine(Rejection(path, e));
            return ExitStatus.Failed;
        }
        catch (UnreadableFile e)
        {
            errors.WriteLine($"wasmspec {command}: {e.Message}");
            return ExitStatus.Usage;
        }
    }
}

/// <summary>The file is no module in either format: empty, or neither the binary magic nor text.</summary>
internal sealed class NotAModule(string reason) : WasmException(Phase.Decode, reason, null);

/// <summary>Counted nouns as a user reads them.</summary>
internal static class Arguments
{
    /// <summary>"1 argument", "2 arguments".</summary>
    public static string Count(int n) => n == 1 ? "1 argument" : $"{n} arguments";
}
