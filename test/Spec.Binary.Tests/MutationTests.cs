using Spec.Syntax;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.BinaryFormat;

namespace Spec.Binary.Tests;

/// <summary>Damaged encodings of valid modules decode to a module or fail with a DecodeException, nothing else.</summary>
public class MutationTests
{
    static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500).WithEndSize(30);

    static readonly byte[][] Seeds = TestsuiteBinaries.All().Where(c => c.Malformed is null).Select(c => c.Bytes).Where(b => b.Length > 8).ToArray();

    /// <summary>True when decoding ends in a module or a DecodeException; any other exception fails the property.</summary>
    static bool DecodesOrFailsCleanly(byte[] bytes)
    {
        try { BinaryFormat.Binary.Decode(bytes, Features.All); }
        catch (DecodeException e) { return e.Reason.Length > 0 && e.Offset >= 0 && e.Offset <= bytes.Length; }
        return true;
    }

    static Gen<byte[]> Encoded => Gen.Frequency(
        (1, ModuleGen.Module.Select(BinaryFormat.Binary.Encode)),
        (1, Seeds.Length > 0 ? Gen.Elements(Seeds) : ModuleGen.Module.Select(BinaryFormat.Binary.Encode)));

    static Gen<(byte[], int, int)> Positioned => Encoded.SelectMany(b => Gen.Choose(0, b.Length - 1).SelectMany(p => Gen.Choose(0, 7).Select(bit => (b, p, bit))));

    [Test]
    public void Bit_flips()
    {
        Check.One(Config, Prop.ForAll(Positioned.ToArbitrary(), t =>
        {
            var (b, p, bit) = t;
            var m = (byte[])b.Clone();
            m[p] ^= (byte)(1 << bit);
            return DecodesOrFailsCleanly(m);
        }));
    }

    [Test]
    public void Truncations()
    {
        Check.One(Config, Prop.ForAll(Positioned.ToArbitrary(), t => DecodesOrFailsCleanly(t.Item1[..t.Item2])));
    }

    [Test]
    public void Modules_cut_inside_a_section_are_malformed()
    {
        int cuts = 0;
        foreach (var seed in Seeds.Take(200))
        {
            var boundaries = SectionBoundaries(seed);
            for (int n = 0; n < seed.Length; n += Math.Max(1, seed.Length / 17))
            {
                if (boundaries.Contains(n)) continue;
                cuts++;
                Assert.Throws<DecodeException>(() => BinaryFormat.Binary.Decode(seed.AsSpan(0, n), Features.All), $"prefix of {n} bytes");
            }
        }
        Assert.That(cuts, Is.GreaterThan(500));
    }

    // Where each section ends (and the header), read from the section headers alone.
    static HashSet<int> SectionBoundaries(byte[] b)
    {
        var ends = new HashSet<int> { 8 };
        int p = 8;
        while (p < b.Length)
        {
            p++;
            uint size = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte x = b[p++];
                size |= (uint)(x & 0x7F) << shift;
                if (x < 0x80) break;
            }
            p += (int)size;
            ends.Add(p);
        }
        return ends;
    }

    [Test]
    public void Inflated_lengths()
    {
        // Replaces a byte by a five-byte LEB128 claiming about 4 GiB: a list, name or section length that cannot be.
        Check.One(Config, Prop.ForAll(Positioned.ToArbitrary(), t =>
        {
            var (b, p, bit) = t;
            byte[] huge = bit % 2 == 0 ? [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] : [0x80 | 0x7F, 0xFF, 0xFF, 0x7F];
            var m = b[..p].Concat(huge).Concat(b[(p + 1)..]).ToArray();
            return DecodesOrFailsCleanly(m);
        }));
    }

    [Test]
    public void Random_bytes_after_a_valid_header()
    {
        var gen = Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf().Select(tail => new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }.Concat(tail).ToArray());
        Check.One(Config, Prop.ForAll(gen.ToArbitrary(), DecodesOrFailsCleanly));
    }

    [Test]
    public void A_tiny_module_claiming_huge_counts_allocates_nothing_large()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        // type section with 2^32-1 types; a code section with 2^32-1 functions; a function with 2^32-1 locals
        foreach (var bytes in new[]
        {
            Hex.Bytes("0061736d 01000000 01 05 ffffffff0f"),
            Hex.Bytes("0061736d 01000000 0a 05 ffffffff0f"),
            Hex.Bytes("0061736d 01000000 01 04 01 60 00 00 03 02 01 00 0a 09 01 07 01 ffffffff0f 7f 0b"),
            Hex.Bytes("0061736d 01000000 0b 07 01 01 ffffffff0f"),
        })
            Assert.Throws<DecodeException>(() => BinaryFormat.Binary.Decode(bytes, Features.All));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
    }
}
