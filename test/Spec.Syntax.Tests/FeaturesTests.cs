using NUnit.Framework;

namespace Spec.Syntax.Tests;

public class FeaturesTests
{
    [Test]
    public void The_default_is_wasm_3()
    {
        Assert.That((Features.Default.MultiMemory, Features.Default.MultiTable, Features.Default.Memory64), Is.EqualTo((true, true, true)));
        Assert.That(Features.Default.CustomDescriptorCasts, Is.False);
        Assert.That(Features.Default.ToString(), Is.EqualTo(""));
    }

    [Test]
    public void A_switch_off_by_default_is_turned_on_by_its_name()
    {
        var f = Features.Parse("custom-descriptor-casts");
        Assert.That(f, Is.EqualTo(new Features(CustomDescriptorCasts: true)));
        Assert.That(f.ToString(), Is.EqualTo("custom-descriptor-casts"));
        Assert.That(Features.Parse("-custom-descriptor-casts", f), Is.EqualTo(Features.Default));
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
