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
    public static Module Parse(byte[] utf8Source) => new Parser(Lexer.Tokenize(utf8Source)).TopLevel();

    /// <summary>
    /// Parses the "(module $id? field*)" form starting at token <paramref name="position"/> of <paramref name="tokens"/>;
    /// <paramref name="position"/> is advanced past its closing ")".
    /// </summary>
    internal static Module ParseModule(List<Token> tokens, ref int position)
    {
        var p = new Parser(tokens, position);
        var m = p.Module();
        position = p.Position;
        return m;
    }

    /// <summary>
    /// Parses module fields starting at token <paramref name="position"/> up to (not including) the next unmatched ")"
    /// or the end; <paramref name="name"/> becomes the module's name. <paramref name="position"/> is advanced.
    /// </summary>
    internal static Module ParseModuleFields(List<Token> tokens, ref int position, string? name)
    {
        var p = new Parser(tokens, position);
        var m = p.ModuleFields(name);
        position = p.Position;
        return m;
    }
}
