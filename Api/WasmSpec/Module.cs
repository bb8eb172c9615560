using System.Collections.Immutable;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using S = Spec.Syntax;

namespace WasmSpec;

/// <summary>The type of an import or export, printed as the text format writes it.</summary>
public abstract record ExternType;

/// <summary><c>(func (param ...) (result ...))</c></summary>
public sealed record FunctionType(IReadOnlyList<ValType> Parameters, IReadOnlyList<ValType> Results) : ExternType
{
    public override string ToString() =>
        "(func" + (Parameters.Count > 0 ? $" (param {string.Join(" ", Parameters)})" : "")
                + (Results.Count > 0 ? $" (result {string.Join(" ", Results)})" : "") + ")";

    internal static FunctionType Of(FuncType t) => new(t.Params, t.Results);
}

/// <summary><c>(global (mut? T))</c></summary>
public sealed record GlobalType(ValType Content, bool Mutable) : ExternType
{
    public override string ToString() => Mutable ? $"(global (mut {Content}))" : $"(global {Content})";
}

/// <summary><c>(memory i32|i64 MIN MAX?)</c>, sizes in pages.</summary>
public sealed record MemoryType(bool Is64, ulong Minimum, ulong? Maximum, bool Shared) : ExternType
{
    public override string ToString() => $"(memory{(Is64 ? " i64" : "")} {Minimum}{(Maximum is { } m ? $" {m}" : "")}{(Shared ? " shared" : "")})";
}

/// <summary><c>(table MIN MAX? REFTYPE)</c></summary>
public sealed record TableType(RefType Element, ulong Minimum, ulong? Maximum) : ExternType
{
    public override string ToString() => $"(table {Minimum}{(Maximum is { } m ? $" {m}" : "")} {Element})";
}

/// <summary><c>(tag (param ...))</c></summary>
public sealed record TagType(FunctionType Signature) : ExternType
{
    public override string ToString() => $"(tag{Signature.ToString()[5..^1]})";
}

/// <summary>An import the module needs: <c>(import "Module" "Name" Type)</c>.</summary>
public sealed record ImportDescription(string Module, string Name, ExternType Type)
{
    public override string ToString() => $"(import \"{Module}\" \"{Name}\" {Type})";
}

/// <summary>An export the module gives: <c>(export "Name" Type)</c>.</summary>
public sealed record ExportDescription(string Name, ExternType Type)
{
    public override string ToString() => $"(export \"{Name}\" {Type})";
}

/// <summary>
/// A decoded (or parsed) and validated module, ready to instantiate any number of times.
/// <c>Module.FromFile(engine, "app.wasm")</c>: the binary magic decides between the binary and the text format.
/// </summary>
public sealed class Module
{
    Module(Engine engine, S.Module syntax, ModuleType type, string? name, byte[]? binary)
    {
        Engine = engine;
        Syntax = syntax;
        // The bytes are not kept: a binary module's offsets are read now (section sizes only), a text module's when a trap asks.
        bodyOffsets = binary is null ? new(EncodedBodyOffsets) : new(Binary.FunctionBodyOffsets(binary));
        Name = syntax.Names.Module ?? name;
        Imports = [.. syntax.Imports.Select((i, k) => new ImportDescription(i.Module, i.Name, Describe(type.Imports[k])))];
        Exports = [.. syntax.Exports.Select((e, k) => new ExportDescription(e.Name, Describe(type.Exports[k])))];
    }

    public Engine Engine { get; }

    /// <summary>The module's name: the name section's, else the one it was loaded under (a file's name without extension).</summary>
    public string? Name { get; }

    /// <summary>What instantiation needs, in the module's order, with each import's type.</summary>
    public IReadOnlyList<ImportDescription> Imports { get; }

    /// <summary>What an instance gives, in the module's order, with each export's type.</summary>
    public IReadOnlyList<ExportDescription> Exports { get; }

    /// <summary>The abstract syntax (chapter 2) the module was read into.</summary>
    public S.Module Syntax { get; }

    readonly Lazy<ImmutableArray<int>> bodyOffsets;

    /// <summary>
    /// The byte offset of defined function <paramref name="index"/>'s body (imports counted in the index) in the module's
    /// binary: the bytes it was read from, or a text module's binary encoding. Null for an imported function, or for a
    /// module the binary format cannot express.
    /// </summary>
    internal int? BodyOffset(int index)
    {
        var offsets = bodyOffsets.Value;
        int defined = index - Syntax.ImportsOf(ExternKind.Func).Count();
        return defined >= 0 && defined < offsets.Length ? offsets[defined] : null;
    }

    ImmutableArray<int> EncodedBodyOffsets()
    {
        try { return Binary.FunctionBodyOffsets(Binary.Encode(Syntax)); }
        catch (ArgumentException) { return []; } // custom page sizes and the like have no binary encoding
    }

    /// <summary>A module in either format: the text format unless the bytes begin with the binary magic <c>\0asm</c>.</summary>
    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> bytes, string? name = null)
    {
        var copy = bytes.ToArray();
        return IsBinary(copy)
            ? Compile(engine, () => Binary.Decode(copy, engine.Config.Features), name, copy)
            : Compile(engine, Parse(engine, copy), name, null);
    }

    /// <summary>Whether <paramref name="bytes"/> begin with the binary format's magic, <c>\0asm</c>.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\0asm"u8);

    /// <summary>A module in the text format.</summary>
    public static Module FromText(Engine engine, string text, string? name = null) =>
        Compile(engine, Parse(engine, System.Text.Encoding.UTF8.GetBytes(text)), name, null);

    /// <summary>A module file in either format. A missing file is a <see cref="FileNotFoundException"/>, a directory an <see cref="IOException"/> saying so.</summary>
    public static Module FromFile(Engine engine, string path)
    {
        if (Directory.Exists(path)) throw new IOException($"{path} is a directory, not a module file");
        return FromBytes(engine, File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path));
    }

    static Func<S.Module> Parse(Engine engine, byte[] utf8) => () => Text.Parse(utf8, engine.Config.Features);

    static Module Compile(Engine engine, Func<S.Module> read, string? name, byte[]? binary)
    {
        try
        {
            var syntax = read();
            return new Module(engine, syntax, Validator.Validate(syntax, engine.Config.Features), name, binary);
        }
        catch (WasmException e) { throw Errors.Compile(e); }
    }

    static ExternType Describe(S.ExternType t) => t switch
    {
        FuncExtern f => FunctionType.Of(FuncTypeOf(f.Type)),
        GlobalExtern g => new GlobalType(g.Type.Type, g.Type.Mut == Mut.Var),
        MemExtern m => new MemoryType(m.Type.AddrType == AddrType.I64, m.Type.Limits.Min, m.Type.Limits.Max, m.Type.Shared),
        TableExtern tt => new TableType(tt.Type.ElemType, tt.Type.Limits.Min, tt.Type.Limits.Max),
        TagExtern tag => new TagType(FunctionType.Of(FuncTypeOf(tag.Type))),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    static FuncType FuncTypeOf(TypeUse use) =>
        use is DefType d && Spec.Validation.Types.Expand(d) is FuncType f ? f : throw new ArgumentException($"not a function type: {use}");

    /// <summary>The module as its imports and exports: one line each.</summary>
    public override string ToString() =>
        string.Join("\n", [$"(module{(Name is null ? "" : $" ${Name}")}", .. Imports.Select(i => "  " + i), .. Exports.Select(e => "  " + e)]) + ")";
}
