using NUnit.Framework;

namespace Spec.Syntax.Tests;

public class FeaturesTests
{
    [Test]
    public void The_default_is_wasm_3()
    {
        Assert.That((Features.Default.MultiMemory, Features.Default.MultiTable, Features.Default.Memory64), Is.EqualTo((true, true, true)));
        var d = Features.Default;
        Assert.That((d.Threads, d.WideArithmetic, d.CustomPageSizes, d.CustomDescriptors, d.LegacyExceptions), Is.EqualTo((false, false, false, false, false)));
        Assert.That(Features.Default.ToString(), Is.EqualTo(""));
    }

    [Test]
    public void A_switch_off_by_default_is_turned_on_by_its_name()
    {
        var f = Features.Parse("custom-descriptors");
        Assert.That(f, Is.EqualTo(new Features(CustomDescriptors: true)));
        Assert.That(f.ToString(), Is.EqualTo("custom-descriptors"));
        Assert.That(Features.Parse("-custom-descriptors", f), Is.EqualTo(Features.Default));
        Assert.That(Features.Parse("threads,wide-arithmetic,-memory64"), Is.EqualTo(new Features(Threads: true, WideArithmetic: true, Memory64: false)));
    }

    [Test]
    public void All_switches_every_proposal_on_and_prints_back()
    {
        Assert.That(Features.Parse("all"), Is.EqualTo(Features.All));
        Assert.That(Features.Parse(Features.All.ToString()), Is.EqualTo(Features.All));
        Assert.That(Features.All.ToString(), Is.EqualTo("threads,wide-arithmetic,custom-page-sizes,custom-descriptors,legacy-exceptions"));
    }

    [Test]
    public void A_list_turns_switches_off_and_on()
    {
        var f = Features.Parse("-multi-memory, -memory64");
        Assert.That(f, Is.EqualTo(new Features(MultiMemory: false, Memory64: false)));
        Assert.That(Features.Parse("memory64,+multi-memory", f), Is.EqualTo(Features.Default));
        Assert.That(Features.Parse("-multi-table").MultiTable, Is.False);
        Assert.That(Features.Parse(""), Is.EqualTo(Features.Default));
    }

    [Test]
    public void Printing_reads_back()
    {
        var f = new Features(MultiMemory: false, MultiTable: false, Memory64: false);
        Assert.That(f.ToString(), Is.EqualTo("-multi-memory,-multi-table,-memory64"));
        Assert.That(Features.Parse(f.ToString()), Is.EqualTo(f));
    }

    [Test]
    public void An_unknown_switch_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Features.Parse("-multi-memroy"))!;
        Assert.That(e.Message, Does.Contain("multi-memroy").And.Contain("multi-memory"));
    }
}
