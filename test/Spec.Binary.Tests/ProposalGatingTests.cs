using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

/// <summary>The decoder reads a proposal's encodings only with its feature on; without it they are malformed.</summary>
public class ProposalGatingTests
{
    static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    // A module whose one function () -> () has the body given (without its end).
    static byte[] WithBody(params byte[] body)
    {
        byte[] func = [0x00, .. body, 0x0B];
        byte[] entry = [(byte)func.Length, .. func];
        return [.. Header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
            0x05, 0x04, 0x01, 0x01, 0x01, 0x01,
            0x0A, (byte)(entry.Length + 1), 0x01, .. entry];
    }

    public static IEnumerable<TestCaseData> Encodings() =>
    [
        new("threads", (byte[])[.. Header, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01], "malformed limits flags"),
        new("threads", WithBody(0xFE, 0x03, 0x00), "illegal opcode fe"),
        new("wide-arithmetic", WithBody(0x42, 0x00, 0x42, 0x00, 0xFC, 0x15, 0x1A, 0x1A), "illegal opcode fc 21"),
        new("legacy-exceptions", WithBody(0x06, 0x40, 0x19, 0x0B), "illegal opcode 06"),
        new("custom-descriptors", (byte[])[.. Header, 0x01, 0x07, 0x01, 0x60, 0x01, 0x63, 0x62, 0x00, 0x00], "malformed heap type"),
    ];

    [TestCaseSource(nameof(Encodings))]
    public void A_proposal_encoding_is_malformed_without_its_feature(string feature, byte[] bytes, string reason)
    {
        var e = Assert.Throws<DecodeException>(() => BinaryFormat.Binary.Decode(bytes))!;
        Assert.That(e.Reason, Does.StartWith(reason));
        var m = BinaryFormat.Binary.Decode(bytes, Features.Parse(feature));
        Assert.That(BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.Parse(feature)), Is.EqualTo(m));
    }
}
