using System.Text;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>
/// wasmspec wasm2wat FILE.wasm [-o OUT] and wasmspec wat2wasm FILE.wat [-o OUT]: conversion between the binary
/// format (§5) and the text format (§6). Without -o the result goes to standard output; the text is written as it
/// is printed, never held whole. Exit status (<see cref="ExitStatus"/>): 0 done, 1 the input is malformed or not
/// expressible in the other format, 2 bad usage or a file that cannot be read or written.
/// </summary>
internal static class ConvertCommands
{
    /// <summary>Decodes a binary module and prints it as text; <paramref name="args"/> follow the command name.</summary>
    public static int Wasm2Wat(string[] args) =>
        Convert("wasm2wat", "FILE.wasm", args, bytes => Binary.Decode(bytes, Features.All), (module, output) =>
        {
            using var w = new StreamWriter(Open(output), new UTF8Encoding(false), 1 << 16);
            Text.Print(module, w);
        });

    /// <summary>Parses a text module (a module form or bare fields) and encodes it in the binary format.</summary>
    public static int Wat2Wasm(string[] args) =>
        Convert("wat2wasm", "FILE.wat", args, source => Binary.Encode(Text.Parse(source)), (bytes, output) =>
        {
            using var o = Open(output);
            o.Write(bytes);
        });

    static Stream Open(string? output) => output is null ? Console.OpenStandardOutput() : File.Create(output);

    static int Convert<T>(string command, string inputName, string[] args, Func<byte[], T> convert, Action<T, string?> write)
    {
        if (!TryArgs(args, out var input, out var output))
        {
            Console.Error.WriteLine($"usage: wasmspec {command} {inputName} [-o OUT]");
            return ExitStatus.Usage;
        }
        if (output is not null && OutputFiles.Unwritable(output) is { } why)
        {
            Console.Error.WriteLine($"wasmspec {command}: {why}");
            return ExitStatus.Usage;
        }
        byte[] bytes;
        try { bytes = File.ReadAllBytes(input); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{input}: {e.Message}");
            return ExitStatus.Usage;
        }
        try
        {
            write(convert(bytes), output);
            return ExitStatus.Success;
        }
        catch (WasmException e)
        {
            Console.Error.WriteLine($"{input}:{e.Position}: {e.Reason}");
            return ExitStatus.Failed;
        }
        catch (ArgumentException e) // a well-formed module the other format cannot express (e.g. custom page sizes in binary)
        {
            Console.Error.WriteLine($"{input}: {e.Message}");
            return ExitStatus.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{output ?? "standard output"}: {e.Message}");
            return ExitStatus.Usage;
        }
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
