using SharpFuzz;

namespace Spec.Fuzz;

/// <summary>
/// Spec.Fuzz HARNESS: runs one harness under AFL++ (persistent mode, input on stdin) once SharpFuzz has instrumented
/// the project's assemblies. Spec.Fuzz HARNESS FILE...: runs the harness on each file, for reproducing a finding.
/// Spec.Fuzz HARNESS --libfuzzer: the same under libFuzzer (OSS-Fuzz). Spec.Fuzz seeds HARNESS TESTSUITE DIR: writes
/// the harness's starting corpus.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["seeds", var name, var testsuite, var outDir])
        {
            Console.WriteLine($"{Seeds.Write(name, testsuite, outDir, 2000)} seeds for {name} in {outDir}");
            return 0;
        }
        if (args.Length == 0 || !Harnesses.Names.Contains(args[0]))
        {
            Console.Error.WriteLine($"usage: Spec.Fuzz {string.Join("|", Harnesses.Names)} [FILE...]");
            return 2;
        }
        var harness = Harnesses.ByName(args[0]);
        if (args is [_, "--libfuzzer"])
        {
            // OSS-Fuzz drives .NET targets through libFuzzer (libfuzzer-dotnet) rather than AFL++.
            Fuzzer.LibFuzzer.Run(bytes => Harnesses.Run(harness, bytes.ToArray()));
            return 0;
        }
        if (args.Length > 1)
        {
            foreach (var file in args[1..]) Harnesses.Run(harness, File.ReadAllBytes(file));
            return 0;
        }
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Harnesses.Run(harness, buffer.ToArray());
        });
        return 0;
    }
}
