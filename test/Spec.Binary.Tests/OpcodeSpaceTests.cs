using Spec.Syntax;
using NUnit.Framework;
using Spec.BinaryFormat;

namespace Spec.Binary.Tests;

/// <summary>
/// The decoder knows exactly the opcodes of spectec 5.3-binary.instructions (plus the legacy exception opcodes),
/// and the encoder writes each decoded instruction back with the same opcode.
/// </summary>
public class OpcodeSpaceTests
{
    // Counted from spectec 5.3: 192 one-byte opcodes with a rule of their own, 31 after 0xFB, 18 after 0xFC,
    // 256 after 0xFD. The one-byte count here adds else 0x05 and end 0x0B (parts of the block rules) and
    // the legacy try 0x06, catch 0x07, rethrow 0x09, delegate 0x18, catch_all 0x19; the 0xFC count adds
    // the wide-arithmetic proposal's 19-22; the 0xFB count adds the custom descriptors proposal's 32-38
    // (struct.new_desc, struct.new_default_desc, ref.get_desc, ref.cast_desc_eq twice, br_on_cast_desc_eq(_fail)); 0xFE holds the threads proposal's notify, wait32, wait64, fence
    // and the 63 accesses 0x10-0x4E.
    [TestCase(-1, 199)]
    [TestCase(0xFE, 67)]
    [TestCase(0xFB, 38)]
    [TestCase(0xFC, 22)]
    [TestCase(0xFD, 256)]
    public void Known_opcodes(int prefix, int expected)
    {
        int known = 0;
        int limit = prefix < 0 ? 256 : 400;
        for (int code = 0; code < limit; code++)
        {
            if (prefix < 0 && code is 0xFB or 0xFC or 0xFD or 0xFE) continue;
            var op = prefix < 0 ? [(byte)code] : new[] { (byte)prefix }.Concat(Leb((uint)code)).ToArray();
            try
            {
                var m = BinaryFormat.Binary.Decode(Function(op), Features.All);
                known++;
                var first = m.Funcs[0].Body.Instrs[0];
                var again = BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All);
                Assert.That(again.Funcs[0].Body.Instrs[0], Is.EqualTo(first), $"opcode {prefix:x} {code}");
            }
            catch (DecodeException e)
            {
                if (!e.Reason.StartsWith("illegal opcode", StringComparison.Ordinal)) known++;
            }
        }
        Assert.That(known, Is.EqualTo(expected));
    }

    // A function whose body is the opcode, zero bytes for any immediates (zeros decode as unreachable), and end.
    static byte[] Function(byte[] op)
    {
        var body = new byte[] { 0x00 }.Concat(op).Concat(new byte[40]).Append((byte)0x0B).ToArray();
        var code = new byte[] { 0x01 }.Concat(Leb((uint)body.Length)).Concat(body).ToArray();
        return Hex.Bytes("0061736d 01000000 01 04 01 60 00 00 03 02 01 00")
            .Concat(new byte[] { 0x0A }).Concat(Leb((uint)code.Length)).Concat(code).ToArray();
    }

    static byte[] Leb(uint n)
    {
        var b = new List<byte>();
        while (n >= 0x80) { b.Add((byte)(n | 0x80)); n >>= 7; }
        b.Add((byte)n);
        return b.ToArray();
    }
}
