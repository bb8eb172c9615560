using System.Text;
using Spec.Syntax;

namespace Spec.TextFormat;

/// <summary>The text format (§6): parsing a module from its text.</summary>
public static partial class Text
{
    /// <summary>
    /// Parses a module given as "(module $id? field*)" or as a bare sequence of fields (a .wat file, a quoted module).
    /// Throws <see cref="ParseException"/> with the testsuite's message if the text is malformed.
    /// </summary>
    public static Module Parse(string source) => Parse(Encoding.UTF8.GetBytes(source));

    /// <summary>Parses a module from UTF-8 source bytes (which need not be well-formed: that is reported, not assumed).</summary>
    public static Module Parse(byte[] utf8Source) => Parse(utf8Source, Features.Default);

    /// <summary>Parses a module from UTF-8 source bytes as an older base restricted by <paramref name="features"/> reads it.</summary>
    public static Module Parse(byte[] utf8Source, Features features)
    {
        var annotations = new List<Annotation>();
        var tokens = Lexer.Tokenize(utf8Source, annotations: annotations);
        return new Parser(tokens, annotations) { Features = features }.TopLevel();
    }

    /// <summary>
    /// Parses the source of a script's text module: "(module definition? $id? field*)" (the keyword "definition"
    /// belongs to the script format and is accepted only here).
    /// </summary>
    internal static Module ParseScriptModule(string source)
    {
        var annotations = new List<Annotation>();
        var p = new Parser(Lexer.Tokenize(Encoding.UTF8.GetBytes(source), annotations: annotations), annotations);
        var m = p.Module(allowDefinition: true);
        p.ExpectEnd();
        return m;
    }

    /// <summary>
    /// Parses the "(module $id? field*)" form starting at token <paramref name="position"/> of <paramref name="tokens"/>;
    /// <paramref name="position"/> is advanced past its closing ")". Pass the <paramref name="annotations"/> collected by
    /// <see cref="Lexer.Tokenize(byte[], bool, List{Annotation}?)"/> for the same tokens to honour @custom and @name.
    /// </summary>
    internal static Module ParseModule(List<Token> tokens, ref int position, List<Annotation>? annotations = null)
    {
        var p = annotations is null ? new Parser(tokens, position) : new Parser(tokens, annotations) { Position = position };
        var m = p.Module();
        position = p.Position;
        return m;
    }

    /// <summary>
    /// Parses module fields starting at token <paramref name="position"/> up to (not including) the next unmatched ")"
    /// or the end; <paramref name="name"/> becomes the module's name. <paramref name="position"/> is advanced.
    /// </summary>
    internal static Module ParseModuleFields(List<Token> tokens, ref int position, string? name, List<Annotation>? annotations = null)
    {
        var p = annotations is null ? new Parser(tokens, position) : new Parser(tokens, annotations) { Position = position };
        var m = p.ModuleFields(name);
        position = p.Position;
        return m;
    }
}
