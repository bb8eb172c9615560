using System.Collections.Immutable;
using Spec.TextFormat;

namespace Spec.Wast;

// A script is a sequence of S-expressions over the tokens of the text format (§6.2 Lexical format). The script
// parser first reads them into a tree that remembers where every node starts and ends in the source, so that a
// text module can be handed to the text parser as the exact source of its (module ...) form.

/// <summary>A node and its extent: <see cref="Start"/> and <see cref="End"/> are byte offsets in the UTF-8 source.</summary>
internal abstract record SExpr(int Start, int End, int Line, int Column);

/// <summary>A token other than a parenthesis: keyword, identifier, number, string or reserved.</summary>
internal sealed record Atom(Token Token) : SExpr(Token.Offset, Token.Offset + Token.Length, Token.Line, Token.Column)
{
    public TokenKind Kind => Token.Kind;
    public string Text => Token.Text;
    public override string ToString() => Token.ToString();
}

/// <summary>( item* ), ending just after its closing parenthesis.</summary>
internal sealed record SList(ImmutableArray<SExpr> Items, int Start, int End, int Line, int Column) : SExpr(Start, End, Line, Column)
{
    /// <summary>The keyword in head position, if any.</summary>
    public string? Head => Items.Length > 0 && Items[0] is Atom { Kind: TokenKind.Keyword } a ? a.Text : null;
}

internal static class SExprReader
{
    /// <summary>The top-level forms of a source; every one must be a list.</summary>
    public static List<SExpr> Read(byte[] source)
    {
        var tokens = Lexer.Tokenize(source);
        var forms = new List<SExpr>();
        // An explicit stack of open lists: scripts nest as deeply as their modules do.
        var open = new Stack<(Token Paren, ImmutableArray<SExpr>.Builder Items)>();
        foreach (var t in tokens)
        {
            switch (t.Kind)
            {
                case TokenKind.LParen:
                    open.Push((t, ImmutableArray.CreateBuilder<SExpr>()));
                    break;
                case TokenKind.RParen:
                {
                    if (open.Count == 0) throw t.Error("unexpected token )");
                    var (paren, items) = open.Pop();
                    var list = new SList(items.ToImmutable(), paren.Offset, t.Offset + t.Length, paren.Line, paren.Column);
                    if (open.Count > 0) open.Peek().Items.Add(list); else forms.Add(list);
                    break;
                }
                case TokenKind.Eof:
                    if (open.Count > 0) throw open.Peek().Paren.Error("unclosed parenthesis");
                    return forms;
                default:
                    if (open.Count == 0) throw t.Error($"unexpected token {t}");
                    open.Peek().Items.Add(new Atom(t));
                    break;
            }
        }
        return forms;
    }
}
