using System.Collections.Immutable;

namespace Spec.Wast;

// A script is a sequence of S-expressions over the tokens of the text format (§6.3 Lexical format). The script
// parser first reads them into a tree that remembers where every node starts and ends in the source, so that a
// text module can be handed to the text parser as the exact substring of its (module ...) form.

internal abstract record SExpr(int Start, int End, int Line, int Column);

/// <summary>A token other than a parenthesis: keyword, identifier, number, string or reserved.</summary>
internal sealed record Atom(TokenKind Kind, string Text, int Start, int End, int Line, int Column) : SExpr(Start, End, Line, Column)
{
    public override string ToString() => Text;
}

/// <summary>( item* ): <see cref="SExpr.End"/> is just after the closing parenthesis.</summary>
internal sealed record SList(ImmutableArray<SExpr> Items, int Start, int End, int Line, int Column) : SExpr(Start, End, Line, Column)
{
    /// <summary>The keyword in head position, if any.</summary>
    public string? Head => Items.Length > 0 && Items[0] is Atom { Kind: TokenKind.Keyword } a ? a.Text : null;
}

internal enum TokenKind : byte { LParen, RParen, Keyword, Id, Number, String, Reserved }
