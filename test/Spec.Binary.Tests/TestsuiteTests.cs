using Spec.Syntax;
using NUnit.Framework;
using Spec.BinaryFormat;

namespace Spec.Binary.Tests;

/// <summary>Every binary module of the testsuite: the malformed ones fail with the expected message, the others decode.</summary>
public class TestsuiteTests
{
    static readonly List<TestsuiteBinaries.Case> Cases = TestsuiteBinaries.All().ToList();

    [Test]
    public void The_testsuite_is_found_and_holds_binary_modules()
    {
        Assert.That(Cases.Count, Is.GreaterThan(300), $"testsuite at {TestsuiteBinaries.Directory() ?? "(not found)"}");
    }

    [Test]
    public void Malformed_binary_modules_fail_with_the_expected_message()
    {
        var failures = new List<string>();
        int checkedCount = 0;
        foreach (var c in Cases.Where(c => c.Malformed is not null))
        {
            checkedCount++;
            try
            {
                BinaryFormat.Binary.Decode(c.Bytes, Features.All);
                failures.Add($"{c}: decoded, expected \"{c.Malformed}\"");
            }
            catch (DecodeException e)
            {
                // As the reference interpreter's script runner does, the expected text is a prefix of the actual one.
                if (!e.Reason.StartsWith(c.Malformed!, StringComparison.Ordinal))
                    failures.Add($"{c}: \"{e.Reason}\", expected \"{c.Malformed}\"");
            }
        }
        Assert.That(checkedCount, Is.GreaterThan(150));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public void Other_binary_modules_decode_and_reencode_to_the_same_module()
    {
        var failures = new List<string>();
        int decoded = 0;
        foreach (var c in Cases.Where(c => c.Malformed is null))
        {
            try
            {
                var m = BinaryFormat.Binary.Decode(c.Bytes, Features.All);
                var again = BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All);
                if (!again.Equals(m)) failures.Add($"{c}: re-encoding changed the module");
                decoded++;
            }
            catch (DecodeException e)
            {
                failures.Add($"{c}: {e.Message}");
            }
        }
        Assert.That(decoded, Is.GreaterThan(90));
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
