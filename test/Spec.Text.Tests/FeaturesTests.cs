using System.Text;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

public class FeaturesTests
{
    static readonly Features NoMemory64 = Features.Default with { Memory64 = false };

    static Module P(string s, Features f) => Spec.TextFormat.Text.Parse(Encoding.UTF8.GetBytes(s), f);

    [TestCase("(memory 0x1_0000_0000)")]
    [TestCase("(memory 0 0x1_0000_0000)")]
    [TestCase("(table 0x1_0000_0000 funcref)")]
    [TestCase("(memory (import \"m\" \"x\") 1 0x1_0000_0000)")]
    public void Without_memory64_limits_are_u32(string source)
    {
        Assert.That(Assert.Throws<ParseException>(() => P(source, NoMemory64))!.Reason, Is.EqualTo("i32 constant out of range"));
        Assert.DoesNotThrow(() => P(source, Features.Default));
    }

    [Test]
    public void Without_memory64_the_largest_u32_is_still_a_limit()
    {
        var m = P("(memory 0 0xffff_ffff)", NoMemory64);
        Assert.That(m.Mems[0].Type.Limits, Is.EqualTo(new Limits(0, 0xffff_ffff)));
        Assert.That(P("(memory 0 0xffff_ffff)", Features.Default), Is.EqualTo(m));
    }

    [Test]
    public void Other_switches_do_not_change_parsing()
    {
        var m = P("(memory 1) (memory 2) (table 1 funcref) (table 2 funcref)", new Features(MultiMemory: false, MultiTable: false));
        Assert.That((m.Mems.Length, m.Tables.Length), Is.EqualTo((2, 2)));
    }
}
