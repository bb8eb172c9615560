using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Wast.Tests;

public class FeaturesTests
{
    [Test]
    public void The_threads_folder_runs_with_its_older_base_and_every_other_with_wasm_3()
    {
        var threads = Testsuite.ProfileOf("proposals/threads/memory.wast");
        Assert.That(threads, Is.EqualTo(new Features(MultiMemory: false, MultiTable: false, Memory64: false, Threads: true)));
        Assert.That(Testsuite.ProfileOf("memory.wast"), Is.SameAs(Features.Default));
        Assert.That(Testsuite.ProfileOf("proposals/memory64/memory.wast"), Is.SameAs(Features.Default));
        Assert.That(Testsuite.ProfileOf("/elsewhere/proposals/threads/memory.wast"), Is.SameAs(Features.Default));
        Assert.That(Testsuite.ProfileOf("proposals/custom-descriptors/br_on_cast.wast"), Is.EqualTo(new Features(CustomDescriptors: true)));
        Assert.That(Testsuite.ProfileOf("proposals/wide-arithmetic/wide-arithmetic.wast"), Is.EqualTo(new Features(WideArithmetic: true)));
        Assert.That(Testsuite.ProfileOf("proposals/custom-page-sizes/custom-page-sizes.wast"), Is.EqualTo(new Features(CustomPageSizes: true)));
        Assert.That(Testsuite.ProfileOf("legacy/try_catch.wast"), Is.EqualTo(new Features(LegacyExceptions: true)));
    }

    [Test]
    public void Features_option_is_read_as_a_switch_list()
    {
        Assert.That(Program.ParseArgs(["--features", "-multi-memory"]).Features, Is.EqualTo(new Features(MultiMemory: false)));
        Assert.That(Program.ParseArgs([]).Features, Is.Null);
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["--features", "gc"]));
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["--features"]));
    }

    [Test]
    public void A_script_is_judged_by_the_features_it_runs_with()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path,
                "(assert_invalid (module (memory 0) (memory 0)) \"multiple memories\")\n" +
                "(assert_malformed (module quote \"(memory 0x1_0000_0000)\") \"i32 constant out of range\")\n");
            var old = Program.RunFile(path, "x.wast", "interp", new Features(MultiMemory: false, Memory64: false));
            Assert.That((old.Passed, old.Failed), Is.EqualTo((2, 0)));
            var wasm3 = Program.RunFile(path, "x.wast", "interp");
            Assert.That((wasm3.Passed, wasm3.Failed), Is.EqualTo((0, 2)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
