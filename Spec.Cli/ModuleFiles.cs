using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Cli;

/// <summary>Reading a module from a file in either format: the binary magic "\0asm" decides, not the extension.</summary>
internal static class ModuleFiles
{
    public static Module Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return IsBinary(bytes) ? Binary.Decode(bytes) : Text.Parse(bytes);
    }

    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\0asm"u8);
}
