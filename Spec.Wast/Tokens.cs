using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Wast;

/// <summary>The script parser's view of tokens: literal values and errors, from the text format's lexical rules.</summary>
internal static class Tokens
{
    public static byte[] StringBytes(Atom s) => s.Token.Bytes ?? [];

    /// <summary>A string read as a name; null if its bytes are not UTF-8.</summary>
    public static string? Utf8(Atom s) => Lexer.DecodeUtf8(StringBytes(s));

    /// <summary>An identifier's name, without its '$'.</summary>
    public static string IdName(Atom id) => id.Text;

    public static bool IsNumber(Atom a) => a.Kind is TokenKind.Nat or TokenKind.Int or TokenKind.Float;

    /// <summary>An integer literal of <paramref name="bits"/> bits (signed or unsigned), zero-extended.</summary>
    public static ulong Int(Atom a, int bits) =>
        a.Kind is TokenKind.Nat or TokenKind.Int && Literals.TryParseI(a.Text, bits, out ulong v) ? v
            : throw a.Token.Error(a.Kind is TokenKind.Nat or TokenKind.Int ? "constant out of range" : "unexpected token");

    /// <summary>A float literal of <paramref name="bits"/> bits as its bit pattern, zero-extended.</summary>
    public static ulong Float(Atom a, int bits)
    {
        if (!IsNumber(a)) throw a.Token.Error("unexpected token");
        if (bits == 32) return Literals.TryParseF32(a.Text, out uint f) ? f : throw a.Token.Error("constant out of range");
        return Literals.TryParseF64(a.Text, out ulong d) ? d : throw a.Token.Error("constant out of range");
    }

    public static WasmException Error(SExpr at, string reason) => new ParseException(reason, at.Line, at.Column);
}
