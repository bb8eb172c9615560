using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.TextFormat;

namespace Spec.Cli.Tests;

public class ValidateAndConvertTests
{
    readonly List<string> files = [];

    string Write(string extension, string text)
    {
        var path = Path.ChangeExtension(Path.GetTempFileName(), extension);
        File.WriteAllText(path, text);
        files.Add(path);
        return path;
    }

    string Temp(string extension)
    {
        var path = Path.ChangeExtension(Path.GetTempFileName(), extension);
        files.Add(path);
        return path;
    }

    [TearDown]
    public void Delete()
    {
        foreach (var f in files) File.Delete(f);
        files.Clear();
    }

    static (int, string) Validate(string path)
    {
        var output = new StringWriter();
        int exit = ValidateCommand.Run([path], output, output);
        return (exit, output.ToString().Trim());
    }

    [Test]
    public void A_valid_module_is_reported_valid()
    {
        var (exit, text) = Validate(Write(".wat", "(module (func (result i32) (i32.const 1)))"));
        Assert.That((exit, text), Is.EqualTo((0, "valid")));
    }

    [Test]
    public void An_invalid_module_names_the_rule_the_position_and_the_message()
    {
        var path = Write(".wat", "(module (func) (func (result i32) (i64.const 1)))");
        var (exit, text) = Validate(path);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(text, Does.StartWith($"{path}: invalid: "));
        Assert.That(text, Does.Contain("func 1"));
        Assert.That(text, Does.Contain(": type mismatch: "));
    }

    [Test]
    public void A_malformed_module_is_reported_with_its_position()
    {
        var path = Write(".wat", "(module (func (i32.const)))");
        var (exit, text) = Validate(path);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(text, Does.StartWith($"{path}: malformed: 1:"));
    }

    [Test]
    public void A_binary_module_is_recognised_by_its_magic_not_its_name()
    {
        var path = Temp(".wat");
        File.WriteAllBytes(path, Binary.Encode(Text.Parse("(module (memory 1) (func (drop (memory.size))))")));
        Assert.That(Validate(path), Is.EqualTo((0, "valid")));
    }

    [Test]
    public void Features_change_the_rules()
    {
        var twoMemories = Write(".wat", "(module (memory 0) (memory 0))");
        Assert.That(Validate(twoMemories), Is.EqualTo((0, "valid")));
        var output = new StringWriter();
        Assert.That(ValidateCommand.Run(["--features", "-multi-memory", twoMemories], output, output), Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain("multiple memories"));

        var castAcross = Write(".wat", "(module (func (param structref) (result structref) (br_on_cast_fail 0 structref arrayref (local.get 0)) (drop) (unreachable)))");
        Assert.That(Validate(castAcross).Item1, Is.EqualTo(1));
        Assert.That(ValidateCommand.Run(["--features", "custom-descriptors", castAcross], TextWriter.Null, TextWriter.Null), Is.EqualTo(0));
        Assert.That(ValidateCommand.Run(["--features", "no-such-feature", castAcross], TextWriter.Null, TextWriter.Null), Is.EqualTo(2));
    }

    [Test]
    public void A_missing_file_is_a_usage_error()
    {
        Assert.That(Validate(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".wasm")).Item1, Is.EqualTo(2));
        Assert.That(ValidateCommand.Run([], TextWriter.Null, TextWriter.Null), Is.EqualTo(2));
    }

    [Test]
    public void Wat2wasm_then_wasm2wat_gives_back_the_module()
    {
        const string source = """
            (module $m
              (type $t (func (param i32) (result i32)))
              (global $g (mut i64) (i64.const -3))
              (func $f (export "f") (type $t) (local $x f64)
                (i32.add (local.get 0) (i32.const 7))))
            """;
        var wat = Write(".wat", source);
        var wasm = Temp(".wasm");
        var back = Temp(".wat");
        Assert.That(ConvertCommands.Wat2Wasm([wat, "-o", wasm]), Is.EqualTo(0));
        Assert.That(Binary.Decode(File.ReadAllBytes(wasm)), Is.EqualTo(Text.Parse(source)));
        Assert.That(ConvertCommands.Wasm2Wat(["-o", back, wasm]), Is.EqualTo(0));
        Assert.That(Text.Parse(File.ReadAllText(back)), Is.EqualTo(Text.Parse(source)));
    }

    [Test]
    public void Converting_malformed_input_fails_without_writing()
    {
        var wasm = Temp(".wasm");
        File.WriteAllBytes(wasm, [0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 1, 5]);
        var output = Temp(".wat");
        File.Delete(output);
        Assert.That(ConvertCommands.Wasm2Wat([wasm, "-o", output]), Is.EqualTo(1));
        Assert.That(File.Exists(output), Is.False);
    }
}
