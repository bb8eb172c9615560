using NUnit.Framework;

namespace WasmSpec.Tests;

/// <summary>The embedding examples of examples/embedding, each run and its output compared with the expected output.</summary>
[NonParallelizable]
public class ExampleTests
{
    static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "examples");

    static readonly string[] Expected = File.ReadAllText(Path.Combine(Folder, "expected-output.txt")).Split("== ", StringSplitOptions.RemoveEmptyEntries);

    public static IEnumerable<TestCaseData> Cases() =>
        Examples.All.Select((e, k) => new TestCaseData(k).SetName($"Example {e.Name}"));

    [TestCaseSource(nameof(Cases))]
    public void Runs_as_its_expected_output_says(int k)
    {
        var (name, run) = Examples.All[k];
        var output = new StringWriter { NewLine = "\n" };
        var console = Console.Out;
        Console.SetOut(output);
        try { run(Folder); }
        finally { Console.SetOut(console); }
        Assert.That($"{name}\n{output}", Is.EqualTo(Expected[k]));
    }
}
