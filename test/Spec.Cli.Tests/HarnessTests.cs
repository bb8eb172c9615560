using System.Text;
using NUnit.Framework;
using Spec.Fuzz;

namespace Spec.Cli.Tests;

/// <summary>
/// The AFL++ harnesses as bounded properties: each harness survives a few thousand mutants of small valid inputs
/// (bytes flipped, inserted, removed, spliced) with nothing escaping but the project's typed errors.
/// </summary>
public class HarnessTests
{
    const string Wat = """
        (module (type (func (param i32) (result i32))) (memory 1) (table 2 funcref) (global (mut i64) (i64.const 7))
          (func (export "f") (type 0) (block (result i32) (local.get 0) (br_if 0 (i32.eqz (local.get 0))) (i32.const 3) (i32.div_u)))
          (func (export "g") (loop (br_if 0 (i32.const 0))) (drop (i32.load (i32.const 4))) (global.set 0 (i64.const -1)))
          (elem (i32.const 0) func 0 1) (data (i32.const 0) "\01\02\03"))
        """;

    static byte[] Seed(string harness) => harness switch
    {
        "text" => Encoding.UTF8.GetBytes(Wat),
        "wast" => Encoding.UTF8.GetBytes($"{Wat}\n(assert_return (invoke \"f\" (i32.const 9)) (i32.const 3))\n(assert_trap (invoke \"f\" (i32.const 0)) \"x\")"),
        _ => BinaryFormat.Binary.Encode(TextFormat.Text.Parse(Encoding.UTF8.GetBytes(Wat))),
    };

    static byte[] Mutate(Random rng, byte[] input)
    {
        var bytes = new List<byte>(input);
        for (int n = rng.Next(1, 4); n > 0; n--)
        {
            int at = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
            switch (rng.Next(5))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = (byte)rng.Next(256); break;
                case 2: bytes.Insert(at, (byte)rng.Next(256)); break;
                case 3 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(rng.Next(1, 8), bytes.Count - at)); break;
                default: bytes.InsertRange(at, input.Skip(rng.Next(input.Length)).Take(rng.Next(1, 16))); break;
            }
        }
        return [.. bytes];
    }

    [TestCaseSource(typeof(Harnesses), nameof(Harnesses.Names))]
    public void A_harness_lets_only_typed_errors_through_on_mutants(string name)
    {
        var harness = Harnesses.ByName(name);
        var seed = Seed(name);
        Assert.DoesNotThrow(() => Harnesses.Run(harness, seed));
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 20261206);
        for (int k = 0; k < 2000; k++)
        {
            var mutant = Mutate(rng, seed);
            try { Harnesses.Run(harness, mutant); }
            catch (Exception e) { Assert.Fail($"{name}: mutant {k} ({Convert.ToHexString(mutant)}) threw {e}"); }
        }
    }

    [Test]
    public void A_harness_treats_a_foreign_exception_as_a_crash()
    {
        Assert.Throws<InvalidOperationException>(() => Harnesses.Run(_ => throw new InvalidOperationException("boom"), []));
        Assert.DoesNotThrow(() => Harnesses.Run(Harnesses.Decode, [0x00, 0x61]));
        Assert.Throws<ArgumentException>(() => Harnesses.ByName("nope"));
    }
}
