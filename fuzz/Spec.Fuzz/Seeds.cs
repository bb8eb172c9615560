using System.Text;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Wast;

namespace Spec.Fuzz;

/// <summary>
/// The starting corpus of each harness, from the testsuite's scripts: the scripts themselves (wast), their text
/// modules (text), and those modules encoded (decode, validate, pipeline). Small inputs only: AFL++ mutates small
/// inputs fastest, and the testsuite's many small modules cover the grammar between them.
/// </summary>
public static class Seeds
{
    const int MaxBytes = 4096;

    public static int Write(string harness, string testsuite, string outDir, int max)
    {
        Directory.CreateDirectory(outDir);
        var seen = new HashSet<string>();
        int n = 0;
        void Add(byte[] bytes, string ext)
        {
            if (n >= max || bytes.Length == 0 || bytes.Length > MaxBytes) return;
            if (!seen.Add(Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(bytes)))) return;
            File.WriteAllBytes(Path.Combine(outDir, $"seed-{n++:d5}.{ext}"), bytes);
        }
        var files = Directory.EnumerateFiles(testsuite, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var source = File.ReadAllBytes(file);
            if (harness == "wast") { Add(source, "wast"); continue; }
            Script script;
            try { script = WastParser.Parse(file, source); }
            catch (WasmException) { continue; }
            foreach (var command in script.Commands)
            {
                var module = command switch { ModuleCommand mc => mc.Module, AssertModule am => am.Module, _ => null };
                switch (module)
                {
                    case TextModule t when harness == "text": Add(Encoding.UTF8.GetBytes(t.Source), "wat"); break;
                    case TextModule t:
                        try { Add(Binary.Encode(Text.Parse(Encoding.UTF8.GetBytes(t.Source), Features.All)), "wasm"); }
                        catch (Exception e) when (e is WasmException or ArgumentException) { }
                        break;
                    case BinaryModule b when harness != "text": Add([.. b.Bytes], "wasm"); break;
                }
            }
        }
        return n;
    }
}
