using Spec.Syntax;
using NUnit.Framework;
using Spec.BinaryFormat;

namespace Spec.Binary.Tests;

/// <summary>Each message of the testsuite's assert_malformed, produced by handcrafted bytes.</summary>
public class ErrorMessageTests
{
    const string H = "0061736d 01000000 ";          // magic and version
    const string T = "01 04 01 60 00 00 ";          // type section: one empty function type
    const string F = "03 02 01 00 ";                // function section: one function of type 0
    const string M = "05 03 01 00 01 ";             // memory section: one memory, min 1

    static string Code(string body) => $"0a {Convert.ToHexString([(byte)(body.Replace(" ", "").Length / 2 + 1)])} 01 {body}";

    [TestCase("", "unexpected end", 0)]
    [TestCase("0061", "unexpected end", 2)]
    [TestCase("0061736d 01", "unexpected end", 5)]
    [TestCase("0061736e 01000000", "magic header not detected", 0)]
    [TestCase("efbbbf00 61736d01 000000", "magic header not detected", 0)]
    [TestCase("0061736d 02000000", "unknown binary version", 4)]
    [TestCase("0061736d 00000001", "unknown binary version", 4)]
    [TestCase(H + "0e 01 00", "malformed section id", 8)]
    [TestCase(H + "ff 01 00", "malformed section id", 8)]
    [TestCase(H + "00", "unexpected end", 9)]
    [TestCase(H + "04 01 01", "unexpected end of section or function", 11)]
    [TestCase(H + "01 07 02 60 00 00", "length out of bounds", 9)]
    [TestCase(H + "00 05 10 616263", "length out of bounds", 9)]
    [TestCase(H + "07 04 01 09 61 62", "length out of bounds", 11)]
    [TestCase(H + "01 07 01 60 00 00 60 00 00", "section size mismatch", 17)]
    [TestCase(H + "0b 01 00 0b 01 00", "unexpected content after last section", 11)]
    [TestCase(H + "03 01 00 01 01 00", "unexpected content after last section", 11)]
    [TestCase(H + "01 06 01 60 01 ff ff 7f", "integer representation too long", 13)]
    [TestCase(H + "03 06 01 80 80 80 80 10", "integer too large", 15)]
    [TestCase(H + "03 07 01 80 80 80 80 80 00", "integer representation too long", 15)]
    [TestCase(H + "06 0a 01 7f 00 41 80 80 80 80 70 0b", "integer too large", 18)]
    [TestCase(H + "06 0a 01 7f 00 41 ff ff ff ff 4f 0b", "integer too large", 18)]
    [TestCase(H + "06 0f 01 7e 00 42 80 80 80 80 80 80 80 80 80 02 0b", "integer too large", 23)]
    [TestCase(H + "01 05 01 e0 7f 00 00", "integer representation too long", 11)]
    [TestCase(H + "02 05 01 00 00 05 00", "malformed import kind", 13)]
    [TestCase(H + "07 05 01 00 05 00 00", "malformed export kind", 12)]
    [TestCase(H + "06 06 01 7f 02 41 00 0b", "malformed mutability", 12)]
    [TestCase(H + "04 04 01 70 08 00", "malformed limits flags", 12)]
    [TestCase(H + "05 03 01 81 00", "malformed limits flags", 11)]
    [TestCase(H + "04 06 01 40 01 70 00 00", "zero byte expected", 12)]
    [TestCase(H + "0d 03 01 01 00", "zero byte expected", 11)]
    [TestCase(H + "09 07 01 05 7f 01 d2 00 0b", "malformed reference type", 12)]
    [TestCase(H + "01 05 01 60 00 00 00", "section size mismatch", 15)]
    [TestCase(H + "02 07 01 00 01 ff 00 00 00", "malformed UTF-8 encoding", 13)]
    [TestCase(H + "07 07 01 02 c0 80 00 00 00", "malformed UTF-8 encoding", 12)]
    [TestCase(H + "07 07 01 03 ed a0 80 00 00", "malformed UTF-8 encoding", 12)]
    [TestCase(H + "07 08 01 04 f4 90 80 80 00 00", "malformed UTF-8 encoding", 12)]
    [TestCase(H + T + F + "0a 0c 01 0a 02 ffffffff0f 7f 01 7e 0b", "too many locals", 23)]
    [TestCase(H + T + "03 03 02 00 00", "function and code section have inconsistent lengths", 19)]
    [TestCase(H + "0a 04 01 02 00 0b", "function and code section have inconsistent lengths", 14)]
    [TestCase(H + "0c 01 01 0b 01 00", "data count and data section have inconsistent lengths", 14)]
    [TestCase(H + M + "0c 01 01", "data count and data section have inconsistent lengths", 16)]
    [TestCase(H + T + F + M + "0a 07 01 05 00 fc 09 00 0b 0b 03 01 01 00", "data count section required", 37)]
    [TestCase(H + T + F + "0a 0c 02 04 00 41 01 1a 05 00 41 01 1a 0b", "END opcode expected", 26)]
    [TestCase(H + T + F + "0a 06 01 04 00 02 40 05", "END opcode expected", 25)]
    [TestCase(H + T + F + "0a 07 01 05 00 00 ff 00 0b", "illegal opcode ff", 24)]
    [TestCase(H + T + F + "0a 08 01 06 00 fc 80 01 0b 0b", "illegal opcode fc 128", 23)]
    [TestCase(H + T + F + "0a 08 01 06 00 fd 90 03 0b 0b", "illegal opcode fd 400", 23)]
    [TestCase(H + T + F + M + "0a 0b 01 09 00 41 00 28 80 01 00 1a 0b", "malformed memop flags", 31)]
    [TestCase(H + T + F + "0a 07 01 05 00 02 80 7f 0b", "malformed block type", 24)]
    [TestCase(H + T + F + "0a 07 01 05 00 d0 60 0b 0b", "malformed heap type", 24)]
    [TestCase(H + T + F + "0a 08 01 06 00 1c 01 50 0b 0b", "malformed value type", 25)]
    [TestCase(H + T + F + "0a 06 01 04 00 02 40 0b", "unexpected end of section or function", 26)]
    public void Message(string hex, string message, int offset)
    {
        var e = Assert.Throws<DecodeException>(() => BinaryFormat.Binary.Decode(Hex.Bytes(hex), Features.All))!;
        Assert.That(e.Reason, Is.EqualTo(message));
        Assert.That(e.Offset, Is.EqualTo(offset));
        Assert.That(e.Phase, Is.EqualTo(Syntax.Phase.Decode));
    }

    [Test]
    public void The_code_helper_builds_the_section_it_says()
    {
        Assert.That(Hex.Bytes(Code("02 00 0b")), Is.EqualTo(Hex.Bytes("0a 04 01 02 00 0b")));
    }
}
