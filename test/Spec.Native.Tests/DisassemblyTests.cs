using NUnit.Framework;

namespace Spec.Native.Tests;

// The printer: known byte sequences and the text an Intel-syntax listing shows for them.

public class DisassemblyTests
{
    static readonly (string Hex, string Text)[] Known =
    [
        ("01C8", "add eax,ecx"),
        ("488B442408", "mov rax,[rsp+8]"),
        ("48B88877665544332211", "mov rax,0x1122334455667788"),
        ("660FFEC1", "paddd xmm0,xmm1"),
        ("F20F5AC1", "cvtsd2ss xmm0,xmm1"),
        ("F0480FC107", "lock xadd [rdi],rax"),
        ("410F94C4", "sete r12b"),
        ("0F0B", "ud2"),
        ("C3", "ret"),
    ];

    [Test]
    public void Each_instruction_is_a_line_with_its_offset_bytes_and_intel_syntax_text()
    {
        var code = Convert.FromHexString(string.Concat(Known.Select(k => k.Hex)));
        var lines = Disassembly.Lines(code);
        Assert.That(lines.Select(l => l.Text), Is.EqualTo(Known.Select(k => k.Text)));
        Assert.That(lines.Select(l => l.Bytes), Is.EqualTo(Known.Select(k => k.Hex.ToLowerInvariant())));
        int offset = 0;
        for (int i = 0; i < Known.Length; i++)
        {
            Assert.That(lines[i].Offset, Is.EqualTo(offset));
            offset += Known[i].Hex.Length / 2;
        }
    }

    [Test]
    public void Branch_targets_and_rip_relative_addresses_are_absolute_at_the_given_address()
    {
        // jmp $ (EB FE), jne +0 (0F 85 00000000), lea rax,[rip+0x10]; a rel8 jump says short, a rel32 one is the default
        var lines = Disassembly.Lines(Convert.FromHexString("EBFE0F8500000000488D0510000000"), 0x1000);
        Assert.That(lines.Select(l => (l.Offset, l.Text)), Is.EqualTo(new[]
        {
            (0, "jmp short 0x1000"),
            (2, "jne 0x1008"),
            (8, "lea rax,[0x101f]"),
        }));
    }

    [Test]
    public void Undecodable_bytes_print_as_bad_and_decoding_goes_on()
    {
        // 0x06 (push es) is invalid in 64-bit mode; a lone 0x0F is a truncated instruction.
        var lines = Disassembly.Lines(Convert.FromHexString("06C30F"));
        Assert.That(lines.Select(l => (l.Offset, l.Text)), Is.EqualTo(new[] { (0, "(bad)"), (1, "ret"), (2, "(bad)") }));
    }

    [Test]
    public void Print_lays_the_listing_out_one_instruction_a_line()
    {
        string text = Disassembly.Print(Convert.FromHexString("01C8C3"));
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "0000  01c8                            add eax,ecx",
            "0002  c3                              ret",
        }));
    }
}
