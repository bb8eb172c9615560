using System.Text;

namespace Spec.TextFormat;

// §6.2 Lexical format (spectec 6.0-text.lexical). The source is read as UTF-8 bytes, so that strings keep
// their exact bytes (they need not be UTF-8) and a malformed encoding is reported where it occurs.
// Imperative byte scanning: this is the tokenizer's inner loop.

internal enum TokenKind { LParen, RParen, Keyword, Id, Nat, Int, Float, String, Annotation, Reserved, Eof }

/// <summary>
/// One token. <see cref="Text"/> is: the keyword; the id without "$" (decoded for $"..." ids); the literal's spelling
/// for Nat/Int/Float; the source spelling (quotes included) for String; the annotation id for Annotation.
/// <see cref="Bytes"/> holds a string's bytes. <see cref="Offset"/>/<see cref="Length"/> are byte positions in the source.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Line, int Column, int Offset, int Length, byte[]? Bytes = null)
{
    /// <summary>A string token read as a name (Tname): its bytes must be UTF-8.</summary>
    public string Name => Lexer.DecodeUtf8(Bytes ?? []) ?? throw new ParseException("malformed UTF-8 encoding", Line, Column);

    public ParseException Error(string reason) => new(reason, Line, Column);

    public override string ToString() => Kind switch
    {
        TokenKind.LParen => "(", TokenKind.RParen => ")", TokenKind.Eof => "end of input",
        TokenKind.Id => "$" + Text, TokenKind.Annotation => "(@" + Text, _ => Text,
    };
}

internal sealed class Lexer
{
    private readonly byte[] src;
    private int pos, line = 1, lineStart;
    private bool inAnnotation;

    private Lexer(byte[] source) { src = source; }

    /// <summary>All tokens of <paramref name="source"/>, ending with Eof. Annotations are skipped as white space unless <paramref name="keepAnnotations"/>.</summary>
    public static List<Token> Tokenize(string source, bool keepAnnotations = false) =>
        Tokenize(Encoding.UTF8.GetBytes(source), keepAnnotations);

    public static List<Token> Tokenize(byte[] source, bool keepAnnotations = false)
    {
        var lx = new Lexer(source);
        var tokens = new List<Token>();
        var annotations = new Stack<Token>(); // open annotations, innermost on top
        int depth = 0;                       // parentheses open inside the innermost annotation
        var depths = new Stack<int>();
        while (true)
        {
            lx.inAnnotation = annotations.Count > 0;
            var t = lx.Next();
            if (annotations.Count > 0)
            {
                if (t.Kind == TokenKind.Eof) throw annotations.Peek().Error("unclosed annotation");
                if (keepAnnotations) tokens.Add(t);
                switch (t.Kind)
                {
                    case TokenKind.Annotation: depths.Push(depth); depth = 0; annotations.Push(t); break;
                    case TokenKind.LParen: depth++; break;
                    case TokenKind.RParen when depth > 0: depth--; break;
                    case TokenKind.RParen: annotations.Pop(); depth = depths.Pop(); break;
                }
                continue;
            }
            if (t.Kind == TokenKind.Annotation)
            {
                annotations.Push(t); depths.Push(depth); depth = 0;
                if (keepAnnotations) tokens.Add(t);
                continue;
            }
            tokens.Add(t);
            if (t.Kind == TokenKind.Eof) return tokens;
        }
    }

    private ParseException Error(string reason, int at)
    {
        // Column counts characters, not bytes: skip UTF-8 continuation bytes.
        int col = 1;
        for (int i = lineStart; i < at && i < src.Length; i++) if ((src[i] & 0xC0) != 0x80) col++;
        return new ParseException(reason, line, col);
    }

    private Token Make(TokenKind kind, string text, int start, byte[]? bytes = null)
    {
        int col = 1;
        for (int i = lineStart; i < start; i++) if ((src[i] & 0xC0) != 0x80) col++;
        return new Token(kind, text, line, col, start, pos - start, bytes);
    }

    private int Peek(int k = 0) => pos + k < src.Length ? src[pos + k] : -1;

    private Token Next()
    {
        SkipSpace();
        int start = pos;
        if (pos >= src.Length) return Make(TokenKind.Eof, "", start);
        byte c = src[pos];
        if (c == '(')
        {
            pos++;
            // Inside an annotation, "(@" without an id is just a parenthesis followed by a word.
            if (Peek() == '@' && !(inAnnotation && !(IsIdChar(Peek(1)) || Peek(1) == '"')))
            {
                pos++;
                return Make(TokenKind.Annotation, AnnotationId(start), start);
            }
            return Make(TokenKind.LParen, "(", start);
        }
        if (c == ')') { pos++; return Make(TokenKind.RParen, ")", start); }
        if (IsIdChar(c) || c == '"' || IsReservedChar(c)) return Word();
        throw IllegalCharacter(pos);
    }

    // Tspace: " " | Tformat | Tcomment (annotations are tokens here and skipped by Tokenize).
    private void SkipSpace()
    {
        while (pos < src.Length)
        {
            byte c = src[pos];
            if (c == ' ' || c == '\t') pos++;
            else if (c == '\n') { pos++; NewLine(); }
            else if (c == '\r') { pos++; if (Peek() == '\n') pos++; NewLine(); }
            else if (c == ';' && Peek(1) == ';') LineComment();
            else if (c == '(' && Peek(1) == ';') BlockComment();
            else return;
        }
    }

    private void NewLine() { line++; lineStart = pos; }

    // Tlinecomment: ";;" Tlinechar* (Tnewline | Teof)
    private void LineComment()
    {
        pos += 2;
        while (pos < src.Length && src[pos] != '\n' && src[pos] != '\r') CommentChar();
    }

    // Tblockcomment: "(;" Tblockchar* ";)", nesting.
    private void BlockComment()
    {
        int start = pos;
        pos += 2;
        int depth = 1;
        while (depth > 0)
        {
            if (pos >= src.Length) throw Error("unclosed comment", start);
            byte c = src[pos];
            if (c == '(' && Peek(1) == ';') { pos += 2; depth++; }
            else if (c == ';' && Peek(1) == ')') { pos += 2; depth--; }
            else if (c == '\n') { pos++; NewLine(); }
            else if (c == '\r') { pos++; if (Peek() == '\n') pos++; NewLine(); }
            else CommentChar();
        }
    }

    // Any Tchar: ASCII or one well-formed UTF-8 sequence.
    private void CommentChar()
    {
        if (src[pos] < 0x80) { pos++; return; }
        int n = Utf8Length(src, pos);
        if (n == 0) throw Error("malformed UTF-8 encoding", pos);
        pos += n;
    }

    private ParseException IllegalCharacter(int at) =>
        src[at] >= 0x80 && Utf8Length(src, at) == 0 ? Error("malformed UTF-8 encoding", at) : Error("illegal character", at);

    // Tannotid: Tidchar+ | Tname
    private string AnnotationId(int start)
    {
        if (Peek() == '"')
        {
            int s = pos;
            byte[] bytes;
            try { bytes = ReadString(); }
            catch (ParseException) { throw Error("empty annotation id", start); }
            var name = DecodeUtf8(bytes) ?? throw Error("malformed UTF-8 encoding", s);
            if (name.Length == 0) throw Error("empty annotation id", start);
            return name;
        }
        int b = pos;
        while (pos < src.Length && IsIdChar(src[pos])) pos++;
        if (pos == b) throw Error("empty annotation id", start);
        return Encoding.ASCII.GetString(src, b, pos - b);
    }

    /// <summary>
    /// A maximal run of idchars, strings and reserved characters: Treserved, narrowed to a keyword, number,
    /// string or id when the whole run is one (tokens must be separated by space or parentheses).
    /// </summary>
    private Token Word()
    {
        int start = pos;
        int strings = 0, others = 0;
        byte[]? firstString = null;
        bool onlyIdChars = true;
        while (pos < src.Length)
        {
            byte c = src[pos];
            if (c == '"')
            {
                byte[] s;
                if (pos == start + 1 && src[start] == '$')
                {
                    try { s = ReadString(); }
                    catch (ParseException) { throw Error("empty identifier", start); }
                }
                else s = ReadString();
                firstString ??= s;
                strings++;
                onlyIdChars = false;
            }
            else if (c == ';' && Peek(1) == ';') break;
            else if (IsIdChar(c)) { pos++; others++; }
            else if (IsReservedChar(c)) { pos++; others++; onlyIdChars = false; }
            else break;
        }
        var text = Encoding.UTF8.GetString(src, start, pos - start);
        if (strings == 1 && others == 0) return Make(TokenKind.String, text, start, firstString);
        if (src[start] == '$')
        {
            if (pos == start + 1) throw Error("empty identifier", start);
            if (onlyIdChars) return Make(TokenKind.Id, text[1..], start);
            if (strings == 1 && others == 1 && src[start + 1] == '"')
            {
                var name = DecodeUtf8(firstString!) ?? throw Error("malformed UTF-8 encoding", start);
                if (name.Length == 0) throw Error("empty identifier", start);
                return Make(TokenKind.Id, name, start);
            }
            return Make(TokenKind.Reserved, text, start);
        }
        if (!onlyIdChars) return Make(TokenKind.Reserved, text, start);
        if (Literals.IsNat(text)) return Make(TokenKind.Nat, text, start);
        if (Literals.IsInt(text)) return Make(TokenKind.Int, text, start);
        if (Literals.IsFloat(text)) return Make(TokenKind.Float, text, start);
        if (src[start] >= 'a' && src[start] <= 'z') return Make(TokenKind.Keyword, text, start);
        return Make(TokenKind.Reserved, text, start);
    }

    // Tstring: '"' Tstringelem* '"', the bytes it denotes.
    private byte[] ReadString()
    {
        int start = pos;
        pos++;
        var bytes = new List<byte>();
        while (true)
        {
            if (pos >= src.Length) throw Error("unclosed string", start);
            byte c = src[pos];
            if (c == '"') { pos++; return [.. bytes]; }
            if (c == '\n' || c == '\r') throw Error("unclosed string", start);
            if (c < 0x20 || c == 0x7F) throw Error("illegal control character", pos);
            if (c == '\\')
            {
                int esc = pos;
                pos++;
                int e = Peek();
                switch (e)
                {
                    case 't': bytes.Add(0x09); pos++; break;
                    case 'n': bytes.Add(0x0A); pos++; break;
                    case 'r': bytes.Add(0x0D); pos++; break;
                    case '"': bytes.Add(0x22); pos++; break;
                    case '\'': bytes.Add(0x27); pos++; break;
                    case '\\': bytes.Add(0x5C); pos++; break;
                    case 'u': UnicodeEscape(esc, bytes); break;
                    default:
                        if (e >= 0 && HexValue(e) >= 0 && HexValue(Peek(1)) >= 0)
                        {
                            bytes.Add((byte)(HexValue(e) * 16 + HexValue(Peek(1))));
                            pos += 2;
                        }
                        else throw Error("illegal escape", esc);
                        break;
                }
                continue;
            }
            if (c < 0x80) { bytes.Add(c); pos++; continue; }
            int n = Utf8Length(src, pos);
            if (n == 0) throw Error("malformed UTF-8 encoding", pos);
            for (int i = 0; i < n; i++) bytes.Add(src[pos + i]);
            pos += n;
        }
    }

    // "\\u{" Thexnum "}" with the code point outside the surrogates and below 0x110000.
    private void UnicodeEscape(int esc, List<byte> bytes)
    {
        pos++; // 'u'
        if (Peek() != '{') throw Error("illegal escape", esc);
        pos++;
        long n = 0;
        bool any = false, lastUnderscore = false;
        while (true)
        {
            int h = HexValue(Peek());
            if (h >= 0) { n = Math.Min(n * 16 + h, 0x110000); any = true; lastUnderscore = false; pos++; }
            else if (Peek() == '_' && any && !lastUnderscore) { lastUnderscore = true; pos++; }
            else break;
        }
        if (!any || lastUnderscore || Peek() != '}') throw Error("illegal escape", esc);
        pos++;
        if (n >= 0x110000 || (n >= 0xD800 && n < 0xE000)) throw Error("illegal escape", esc);
        bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32((int)n)));
    }

    internal static int HexValue(int c) =>
        c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    // Tidchar
    internal static bool IsIdChar(int c) =>
        c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c switch
        {
            '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '/' or ':' or '<' or '=' or '>' or '?'
                or '@' or '\\' or '^' or '_' or '`' or '|' or '~' => true,
            _ => false,
        };

    private static bool IsReservedChar(int c) => c is ',' or ';' or '[' or ']' or '{' or '}';

    /// <summary>The length of the well-formed UTF-8 sequence at <paramref name="i"/>, or 0 if it is malformed.</summary>
    internal static int Utf8Length(byte[] s, int i)
    {
        byte b = s[i];
        int n; int min;
        if (b < 0x80) return 1;
        if (b >= 0xC2 && b <= 0xDF) { n = 2; min = 0x80; }
        else if (b >= 0xE0 && b <= 0xEF) { n = 3; min = 0x800; }
        else if (b >= 0xF0 && b <= 0xF4) { n = 4; min = 0x10000; }
        else return 0;
        if (i + n > s.Length) return 0;
        int cp = b & (0xFF >> (n + 1));
        for (int k = 1; k < n; k++)
        {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return 0;
        return n;
    }

    /// <summary>The string <paramref name="bytes"/> encode, or null if they are not well-formed UTF-8.</summary>
    internal static string? DecodeUtf8(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length;)
        {
            int n = Utf8Length(bytes, i);
            if (n == 0) return null;
            i += n;
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
