using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace WasmSpec.Tests;

/// <summary>
/// The packages as a user gets them: packed from the built projects into a folder that is the only package source of a
/// new console project (its nuget.config clears every other source and has a package cache of its own), which runs the
/// embedding examples and the README's example; and the wasmspec tool installed from that same folder runs a WASI program.
/// </summary>
[NonParallelizable]
public class PackageTests
{
    static readonly string Configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WasmSpec.sln"))) return d.FullName;
        throw new InvalidOperationException("no WasmSpec.sln above the tests");
    }

    string root = null!, temp = null!, feed = null!, config = null!;

    [OneTimeSetUp]
    public void Pack()
    {
        root = Root();
        temp = Directory.CreateTempSubdirectory("wasmspec-packages-").FullName;
        feed = Directory.CreateDirectory(Path.Combine(temp, "feed")).FullName;
        // Packed from what the build made: the tests never build the libraries a second time.
        Run(root, "dotnet", "pack", "WasmSpec.sln", "--no-build", "-c", Configuration, "-o", feed, "-nodeReuse:false");
        // The one third-party dependency (the JIT's disassembler) comes from the local package cache, as restored.
        var iced = Regex.Match(File.ReadAllText(Path.Combine(root, "Directory.Packages.props")), "Include=\"Iced\" Version=\"([^\"]+)\"").Groups[1].Value;
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.Copy(Path.Combine(cache, "iced", iced, $"iced.{iced}.nupkg"), Path.Combine(feed, $"iced.{iced}.nupkg"));
        config = Path.Combine(temp, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(temp, "packages")}" />
              </config>
            </configuration>
            """);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (temp is not null) Directory.Delete(temp, recursive: true);
    }

    [Test]
    public void Packages_say_what_they_are()
    {
        foreach (var id in new[] { "WasmSpec.Embedding", "WasmSpec.Wasi", "Spec.Syntax", "Spec.Execution", "Spec.Native", "Spec.Wasi", "wasmspec", "wast-run" })
        {
            var package = Path.Combine(feed, $"{id}.0.1.0.nupkg");
            Assert.That(File.Exists(package), $"{id} is packed");
            Assert.That(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"{id} has symbols");
            using var zip = System.IO.Compression.ZipFile.OpenRead(package);
            var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open()).ReadToEnd();
            Assert.That(nuspec, Does.Contain("<readme>README.md</readme>").And.Contain("<license type=\"expression\">"));
            Assert.That(Regex.Match(nuspec, "<description>(.*)</description>").Groups[1].Value, Does.Contain("Linux x64").And.Not.Contain("Package Description"));
            Assert.That(zip.Entries.Any(e => e.FullName == "README.md"), $"{id} carries its README");
            if (!id.StartsWith("was", StringComparison.Ordinal) || id.Contains('.'))
                Assert.That(zip.Entries.Any(e => e.FullName.EndsWith(".xml") && e.FullName.StartsWith("lib/")), $"{id} carries XML docs");
        }
    }

    [Test]
    public void A_new_project_runs_the_examples_from_the_packages_alone()
    {
        var app = Directory.CreateDirectory(Path.Combine(temp, "app")).FullName;
        File.Copy(config, Path.Combine(app, "nuget.config"));
        File.WriteAllText(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="WasmSpec.Embedding" Version="0.1.0" />
                <PackageReference Include="WasmSpec.Wasi" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        var examples = Path.Combine(root, "examples", "embedding");
        foreach (var file in Directory.GetFiles(examples, "*.cs")) File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(app, "Readme.cs"), ReadmeExample());
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            Examples.RunAll(args[0]);
            Console.WriteLine("== README");
            ReadmeExample.Run();
            """);
        var folder = Directory.CreateDirectory(Path.Combine(temp, "wasm")).FullName;
        File.Copy(Path.Combine(examples, "strings.wasm"), Path.Combine(folder, "strings.wasm"));
        File.Copy(Path.Combine(root, "examples", "wasi", "hello.wasm"), Path.Combine(folder, "hello.wasm"));

        Run(app, "dotnet", "build", "-c", "Release", "-nodeReuse:false", "-v", "q");
        var (_, stdout, _) = Run(app, "dotnet", Path.Combine(app, "bin", "Release", "net10.0", "app.dll"), folder);
        Assert.That(stdout, Is.EqualTo(File.ReadAllText(Path.Combine(examples, "expected-output.txt")) + "== README\nlog: 14\n42\n"));
    }

    [Test]
    public void The_wasmspec_tool_installs_from_the_packages_and_runs_a_program()
    {
        var tools = Path.Combine(temp, "tools");
        Run(temp, "dotnet", "tool", "install", "--tool-path", tools, "wasmspec", "--version", "0.1.0", "--configfile", config);
        var (_, stdout, _) = Run(root, Path.Combine(tools, "wasmspec"), "run", Path.Combine("examples", "wasi", "hello.wasm"));
        Assert.That(stdout, Is.EqualTo("Hello, world!\n"));
        var (_, version, _) = Run(root, Path.Combine(tools, "wasmspec"), "--version");
        Assert.That(version, Is.EqualTo("wasmspec 0.1.0\n"));
    }

    /// <summary>The README's embedding example (the C# block under "Embedding"), as a method a program can call.</summary>
    string ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var block = Regex.Match(readme, "## Embedding.*?```csharp\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var lines = block.Split('\n');
        Assert.That(lines.Count(l => l.Trim().Length > 0), Is.LessThanOrEqualTo(15), "the README's example is 15 lines at most");
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("using var", StringComparison.Ordinal));
        var body = lines.Except(usings);
        return string.Join("\n", usings) + "\npublic static class ReadmeExample\n{\n    public static void Run()\n    {\n" + string.Join("\n", body) + "\n    }\n}\n";
    }

    /// <summary>Runs a command to its end (at most five minutes); a failure fails the test with what it said.</summary>
    static (int, string, string) Run(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in five minutes");
        }
        var result = (p.ExitCode, stdout.Result, stderr.Result);
        Assert.That(p.ExitCode, Is.Zero, $"{file} {string.Join(' ', args)}:\n{result.Item2}\n{result.Item3}");
        return result;
    }
}
