using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.TextFormat;

namespace Spec.Cli.Tests;

/// <summary>
/// The conventions every command keeps, as a table: each command × each way a user gets it wrong → the exit status of
/// the README's table, the stream the message goes to, and the message. Each case runs the command as its own process.
/// </summary>
public class ConventionTests
{
    static readonly string Dir = Directory.CreateTempSubdirectory("wasmspec-cli-").FullName;

    /// <summary>The inputs, made once: a missing file, a directory, an empty file, text that is not Wasm, a truncated binary, invalid modules.</summary>
    static string Input(string kind)
    {
        var path = Path.Combine(Dir, kind switch
        {
            "missing" => "missing.wasm", "directory" => "folder", "empty" => "empty.wasm", "text" => "notes.wasm",
            "truncated" => "truncated.wasm", "invalid-binary" => "invalid.wasm", "invalid-text" => "invalid.wat", _ => kind,
        });
        switch (kind)
        {
            case "directory": Directory.CreateDirectory(path); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "text": File.WriteAllText(path, "hello world\n"); break;
            case "truncated": File.WriteAllBytes(path, Valid[..20]); break;
            case "invalid-binary": File.WriteAllBytes(path, Binary.Encode(Text.Parse(InvalidText))); break;
            case "invalid-text": File.WriteAllText(path, InvalidText); break;
        }
        return path;
    }

    const string InvalidText = "(module (func (export \"f\") (result i32) i64.const 0))";
    static readonly byte[] Valid = Binary.Encode(Text.Parse("(module (memory 1) (func (export \"f\") (result i32) i32.const 1) (func (export \"g\")) (func (export \"h\")))"));

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(Dir, recursive: true);

    static readonly string[] FileCommands = ["run", "validate", "trace", "dump", "jit-dump", "wasm2wat", "wat2wasm"];
    static readonly string[] Cases = ["--help", "-h", "unknown flag", "missing", "directory", "empty", "text", "truncated", "invalid"];

    public static IEnumerable<TestCaseData> Table() =>
        from c in FileCommands from k in Cases select new TestCaseData(c, k).SetName($"{c} × {k}");

    /// <summary>The arguments a command is given around the input (trace needs an export to call).</summary>
    static string[] Args(string command, string input) => command == "trace" ? [input, "--invoke", "f"] : [input];

    /// <summary>Which format a command reads: dump and wasm2wat binary only, wat2wasm text only, the rest either.</summary>
    static string Reads(string command) => command switch { "dump" or "wasm2wat" => "binary", "wat2wasm" => "text", _ => "either" };

    [TestCaseSource(nameof(Table))]
    public void Every_command_answers_every_mistake_as_documented(string command, string kind)
    {
        var (status, stream, message) = Expected(command, kind, out var args);
        using var ran = Processes.Wasmspec([command, .. args]);
        Assert.That(ran.Crashed, Is.False, ran.ToString());
        Assert.That(ran.Status, Is.EqualTo(status), ran.ToString());
        var (said, silent) = stream == "stdout" ? (ran.Stdout, ran.Stderr) : (ran.Stderr, ran.Stdout);
        Assert.That(said, Does.StartWith(message), $"on {stream}");
        if (kind != "invalid" || command is not ("dump" or "wasm2wat")) Assert.That(silent, Is.Empty, $"nothing on the other stream than {stream}");
    }

    static (int Status, string Stream, string Message) Expected(string command, string kind, out string[] args)
    {
        string path;
        switch (kind)
        {
            case "--help" or "-h":
                args = [kind];
                return (0, "stdout", $"usage: wasmspec {command} ");
            case "unknown flag":
                args = ["--frobnicate", Input("empty")];
                return (2, "stderr", $"wasmspec {command}: unknown option --frobnicate\nusage: wasmspec {command} ");
            case "missing":
                args = Args(command, path = Input("missing"));
                return (2, "stderr", $"wasmspec {command}: {path}: no such file");
            case "directory":
                args = Args(command, path = Input("directory"));
                return (2, "stderr", $"wasmspec {command}: {path}: is a directory, not a module file");
            case "empty":
                args = Args(command, path = Input("empty"));
                return (1, "stderr", $"{path}: the file is empty, not a WebAssembly module");
            case "text":
                args = Args(command, path = Input("text"));
                return Reads(command) switch
                {
                    "binary" => (1, "stderr", $"{path}: not a binary module (no \\0asm magic); {command} reads the binary format"),
                    "text" => (1, "stderr", $"{path}: malformed: 1:1: unknown operator hello"),
                    _ => (1, "stderr", $"{path}: not a WebAssembly module: no binary magic (\\0asm) and not the text format (1:1: unknown operator hello)"),
                };
            case "truncated":
                args = Args(command, path = Input("truncated"));
                return Reads(command) == "text"
                    ? (1, "stderr", $"{path}: a binary module, not text: wat2wasm reads the text format")
                    : (1, "stderr", $"{path}: malformed: 0x");
            default:
                args = Args(command, path = Input(Reads(command) == "text" ? "invalid-text" : "invalid-binary"));
                // dump and wasm2wat show a module whether or not it validates (to inspect one that does not).
                return command is "dump" or "wasm2wat" ? (0, "stdout", "") : (1, "stderr", $"{path}: invalid: Expr_ok: func 0, instr 0: type mismatch: ");
        }
    }

    [TestCase("wasi-test")]
    [TestCase("fuzz")]
    public void Commands_without_a_module_file_answer_help_and_unknown_flags(string command)
    {
        using (var help = Processes.Wasmspec(command, "--help"))
        {
            Assert.That((help.Status, help.Stderr), Is.EqualTo((0, "")));
            Assert.That(help.Stdout, Does.StartWith($"usage: wasmspec {command} "));
        }
        using var bad = Processes.Wasmspec(command, "--frobnicate");
        Assert.That(bad.Status, Is.EqualTo(2));
        Assert.That(bad.Stderr, Does.StartWith($"wasmspec {command}: unknown option --frobnicate"));
        Assert.That(bad.Stdout, Is.Empty);
    }

    [Test]
    public void The_commands_themselves_answer_help_and_version()
    {
        foreach (var args in new[] { new[] { "--help" }, ["-h"] })
        {
            using var help = Processes.Wasmspec(args);
            Assert.That((help.Status, help.Stderr), Is.EqualTo((0, "")));
            Assert.That(help.Stdout, Does.StartWith("usage: wasmspec COMMAND"));
            using var wastHelp = Processes.WastRun(args);
            Assert.That((wastHelp.Status, wastHelp.Stderr), Is.EqualTo((0, "")));
            Assert.That(wastHelp.Stdout, Does.StartWith("usage: wast-run "));
        }
        using var version = Processes.Wasmspec("--version");
        Assert.That(version.Status, Is.EqualTo(0));
        Assert.That(version.Stdout, Does.Match(@"^wasmspec \d+\.\d+\.\d+"));
        using var wastVersion = Processes.WastRun("--version");
        Assert.That(wastVersion.Stdout, Does.Match(@"^wast-run \d+\.\d+\.\d+"));
        using var none = Processes.Wasmspec();
        Assert.That((none.Status, none.Stdout), Is.EqualTo((2, "")));
        using var unknown = Processes.Wasmspec("frobnicate");
        Assert.That(unknown.Stderr, Does.StartWith("wasmspec: unknown command frobnicate"));
    }

    [Test]
    public void A_trap_prints_a_backtrace_with_offsets_and_names()
    {
        var path = Path.Combine(Dir, "trap.wat");
        File.WriteAllText(path, "(module $app (func $inner unreachable) (func $outer (export \"_start\") call $inner))");
        using var ran = Processes.Wasmspec("run", path);
        Assert.That(ran.Status, Is.EqualTo(134));
        Assert.That(ran.Stderr, Does.Match(@"^wasmspec run: trap: unreachable\nbacktrace:\n  #0 0x[0-9a-f]+ - app!inner\n  #1 0x[0-9a-f]+ - app!outer\n$"));
    }

    [Test]
    public void Messages_say_what_to_do()
    {
        var path = Path.Combine(Dir, "one.wat");
        File.WriteAllText(path, "(module (func (export \"f\") (param i32) (result i32) local.get 0))");
        using var count = Processes.Wasmspec("run", "--invoke", "f", path);
        Assert.That(count.Stderr.Trim(), Is.EqualTo("wasmspec run: \"f\" takes 1 argument (i32), got 0"));
        using var type = Processes.Wasmspec("run", "--invoke", "f", path, "x");
        Assert.That(type.Stderr.Trim(), Is.EqualTo("wasmspec run: argument 1 \"x\" is not a valid i32"));
        using var dir = Processes.Wasmspec("run", "--dir", Path.Combine(Dir, "nonexistent"), path);
        Assert.That(dir.Stderr.Trim(), Is.EqualTo($"wasmspec run: cannot preopen {Path.Combine(Dir, "nonexistent")}: no such directory"));
        Assert.That(dir.Status, Is.EqualTo(2));
    }
}
