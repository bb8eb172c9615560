using System.Text;
using Decoder = Iced.Intel.Decoder;
using Iced.Intel;

namespace Spec.Native;

// Machine code as text (Intel syntax, lower case), to print JIT output next to the Wasm it came from. Decoding is
// Iced's; nothing here emits code.

public static class Disassembly
{
    /// <summary>
    /// One line per instruction: its offset in <paramref name="code"/>, its bytes in hex and its text, with branch
    /// targets and RIP-relative addresses computed as if the code were at <paramref name="address"/>.
    /// A byte that starts no instruction is a line of its own, <c>(bad)</c>.
    /// </summary>
    public static IReadOnlyList<(int Offset, string Bytes, string Text)> Lines(ReadOnlySpan<byte> code, ulong address = 0)
    {
        var bytes = code.ToArray();
        var reader = new ByteArrayCodeReader(bytes);
        var decoder = Decoder.Create(64, reader);
        var formatter = Formatter();
        var output = new StringOutput();
        var lines = new List<(int, string, string)>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            // Restarted at each instruction, so that decoding goes on after an undecodable byte.
            reader.Position = offset;
            decoder.IP = address + (ulong)offset;
            decoder.Decode(out var instruction);
            formatter.Format(instruction, output);
            string text = instruction.IsInvalid ? "(bad)" : output.ToString();
            output.Reset();
            // An undecodable byte is shown alone and decoding resumes at the next one, which may be an instruction.
            int length = instruction.IsInvalid ? 1 : instruction.Length;
            lines.Add((offset, Convert.ToHexStringLower(bytes, offset, length), text));
            offset += length;
        }
        return lines;
    }

    /// <summary>The whole listing: <c>offset  bytes  text</c> a line, the offset in hex.</summary>
    public static string Print(ReadOnlySpan<byte> code, ulong address = 0)
    {
        var text = new StringBuilder();
        foreach (var (offset, bytes, instruction) in Lines(code, address))
            text.Append($"{offset:x4}  {bytes,-30}  {instruction}\n");
        return text.ToString();
    }

    static IntelFormatter Formatter()
    {
        var f = new IntelFormatter();
        // 0x-prefixed hex, as C# and the rest of the project print numbers.
        f.Options.HexPrefix = "0x";
        f.Options.HexSuffix = null;
        f.Options.UppercaseHex = false;
        f.Options.BranchLeadingZeros = false;
        return f;
    }
}
