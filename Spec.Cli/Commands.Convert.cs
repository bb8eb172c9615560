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
    internal const string Wasm2WatUsage = """
        usage: wasmspec wasm2wat FILE.wasm [-o OUT]
          the binary module in the text format, on standard output or in OUT
        """;

    internal const string Wat2WasmUsage = """
        usage: wasmspec wat2wasm FILE.wat [-o OUT]
          the text module in the binary format, on standard output or in OUT
        """;

    /// <summary>Decodes a binary module and prints it as text; <paramref name="args"/> follow the command name.</summary>
    public static int Wasm2Wat(string[] args) =>
        Convert("wasm2wat", "FILE.wasm", args, bytes => ModuleFiles.IsBinary(bytes) ? Binary.Decode(bytes, Features.All)
            : throw new NotAModule("not a binary module (no \\0asm magic); wasm2wat reads the binary format"), (module, output) =>
        {
            using var w = new StreamWriter(Open(output), new UTF8Encoding(false), 1 << 16);
            Text.Print(module, w);
        });

    /// <summary>Parses a text module (a module form or bare fields) and encodes it in the binary format.</summary>
    public static int Wat2Wasm(string[] args) =>
        Convert("wat2wasm", "FILE.wat", args, source => !ModuleFiles.IsBinary(source) ? Binary.Encode(Valid(Text.Parse(source)))
            : throw new NotAModule("a binary module, not text: wat2wasm reads the text format"), (bytes, output) =>
        {
            using var o = Open(output);
            o.Write(bytes);
        });

    /// <summary>
    /// The module, once validated: wat2wasm writes only valid modules, as wabt's does. Every proposal is allowed but
    /// custom descriptors, whose br_on_cast typing contradicts Wasm 3.0's.
    /// </summary>
    static Module Valid(Module m)
    {
        Spec.Validation.Validator.Validate(m, Features.All with { CustomDescriptors = false });
        return m;
    }

    static Stream Open(string? output) => output is null ? Console.OpenStandardOutput() : File.Create(output);

    static int Convert<T>(string command, string inputName, string[] args, Func<byte[], T> convert, Action<T, string?> write)
    {
        if (!TryArgs(args, out var input, out var output))
        {
            Console.Error.WriteLine($"wasmspec {command}: one input file and at most one -o OUT\nusage: wasmspec {command} {inputName} [-o OUT]");
            return ExitStatus.Usage;
        }
        if (output is not null && OutputFiles.Unwritable(output) is { } why)
        {
            Console.Error.WriteLine($"wasmspec {command}: {why}");
            return ExitStatus.Usage;
        }
        byte[] bytes;
        try { bytes = ModuleFiles.Read(input); }
        catch (UnreadableFile e)
        {
            Console.Error.WriteLine($"wasmspec {command}: {e.Message}");
            return ExitStatus.Usage;
        }
        if (bytes.Length == 0)
        {
            Console.Error.WriteLine($"{input}: the file is empty, not a WebAssembly module");
            return ExitStatus.Failed;
        }
        try
        {
            write(convert(bytes), output);
            return ExitStatus.Success;
        }
        catch (WasmException e)
        {
            Console.Error.WriteLine(ModuleFiles.Rejection(input, e));
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
