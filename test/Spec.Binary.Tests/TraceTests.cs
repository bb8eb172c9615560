using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

/// <summary>The decoder's trace mode, which the disassembler reads: section spans, body spans, one event per opcode.</summary>
public class TraceTests
{
    [Test]
    public void Sections_bodies_and_events_carry_their_offsets()
    {
        var bytes = Hex.Bytes("0061736d 01000000 01 04 01 60 00 00 03 02 01 00 0a 0b 01 09 00 02 40 41 07 1a 0b 01 0b 00 03 01 78 00");
        var trace = new Decoder.Trace();
        var m = Decoder.DecodeModule(bytes, trace, Features.All);

        Assert.That(trace.Sections.Select(s => (s.Id, s.HeaderStart, s.End)),
            Is.EqualTo(new[] { ((byte)1, 8, 14), ((byte)3, 14, 18), ((byte)10, 18, 31), ((byte)0, 31, 36) }));
        Assert.That(trace.Sections[3].CustomName, Is.EqualTo("x"));
        Assert.That(trace.Bodies.Single(), Is.EqualTo(new BodySpan(22, 31, 0)));

        var events = trace.Events.Select(e => (e.Offset, e.EndOffset, e.Kind)).ToArray();
        Assert.That(events, Is.EqualTo(new[]
        {
            (23, 25, CodeEventKind.Begin), (25, 27, CodeEventKind.Instr), (27, 28, CodeEventKind.Instr),
            (28, 29, CodeEventKind.End), (29, 30, CodeEventKind.Instr), (30, 31, CodeEventKind.End),
        }));
        Assert.That(trace.Events[1].Instr, Is.EqualTo(Const.I32(7)));
        Assert.That(m.Customs.Single(), Is.EqualTo(new CustomSection("x", [0x00], SectionId.Code)));
    }

    [Test]
    public void Decoding_without_a_trace_gives_the_same_module()
    {
        foreach (var c in TestsuiteBinaries.All().Where(c => c.Malformed is null).Take(100))
            Assert.That(Decoder.DecodeModule(c.Bytes, new Decoder.Trace(), Features.All), Is.EqualTo(BinaryFormat.Binary.Decode(c.Bytes, Features.All)), c.ToString());
    }

    [Test]
    public void Function_body_offsets_read_from_section_sizes_are_where_the_decoder_finds_the_bodies()
    {
        int modules = 0;
        foreach (var c in TestsuiteBinaries.All().Where(c => c.Malformed is null))
        {
            var trace = new Decoder.Trace();
            try { Decoder.DecodeModule(c.Bytes, trace, Features.All); }
            catch (DecodeException) { continue; }
            Assert.That(BinaryFormat.Binary.FunctionBodyOffsets(c.Bytes), Is.EqualTo(trace.Bodies.Select(b => b.Start)), c.ToString());
            modules++;
        }
        Assert.That(modules, Is.GreaterThan(50)); // every binary module of the testsuite's scripts that decodes
    }
}
