using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Cli;

/// <summary>
/// wasmspec wasm2wat FILE.wasm [-o OUT] and wasmspec wat2wasm FILE.wat [-o OUT]: conversion between the binary
/// format (§5) and the text format (§6). Without -o the result goes to standard output.
/// Exit status: 0 done, 1 the input is malformed, unreadable or not expressible in the other format, 2 bad usage.
/// </summary>
internal static class ConvertCommands
{
    /// <summary>Decodes a binary module and prints it as text; <paramref name="args"/> follow the command name.</summary>
    public static int Wasm2Wat(string[] args) =>
        Convert("wasm2wat", "FILE.wasm", args, File.ReadAllBytes, bytes => Text.Print(Binary.Decode(bytes)), Console.Out.Write, File.WriteAllText);

    /// <summary>Parses a text module (a module form or bare fields) and encodes it in the binary format.</summary>
    public static int Wat2Wasm(string[] args) =>
        Convert("wat2wasm", "FILE.wat", args, File.ReadAllBytes, source => Binary.Encode(Text.Parse(source)),
            bytes => { using var o = Console.OpenStandardOutput(); o.Write(bytes); }, File.WriteAllBytes);

    static int Convert<TIn, TOut>(string command, string inputName, string[] args, Func<string, TIn> read, Func<TIn, TOut> convert,
        Action<TOut> toStdout, Action<string, TOut> toFile)
    {
        if (!TryArgs(args, out var input, out var output))
        {
            Console.Error.WriteLine($"usage: wasmspec {command} {inputName} [-o OUT]");
            return 2;
        }
        TOut result;
        try
        {
            result = convert(read(input));
        }
        catch (WasmException e)
        {
            Console.Error.WriteLine($"{input}:{e.Position}: {e.Reason}");
            return 1;
        }
        catch (ArgumentException e) // a well-formed module the other format cannot express (e.g. custom page sizes in binary)
        {
            Console.Error.WriteLine($"{input}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{input}: {e.Message}");
            return 1;
        }
        try
        {
            if (output is null) toStdout(result);
            else toFile(output, result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{output}: {e.Message}");
            return 1;
        }
        return 0;
    }

    // FILE [-o OUT], in either order.
    static bool TryArgs(string[] args, out string input, out string? output)
    {
        input = "";
        output = null;
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "-o")
            {
                if (i + 1 >= args.Length || output is not null) return false;
                output = args[++i];
            }
            else if (file is null && !args[i].StartsWith('-')) file = args[i];
            else return false;
        }
        if (file is null) return false;
        input = file;
        return true;
    }
}
