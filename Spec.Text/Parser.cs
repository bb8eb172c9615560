using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6 Text format: a recursive-descent parser over the token list, one method per grammar production
// (spectec 6.1-6.4, named T<production>). This file holds the token cursor and the identifier contexts (idctxt).

/// <summary>One index space of an identifier context (spectec idctxt): the names bound so far, by index.</summary>
internal sealed class IdSpace(string desc)
{
    private readonly Dictionary<string, uint> map = new(StringComparer.Ordinal);
    private readonly List<NameAssoc> names = [];

    public string Desc { get; } = desc;
    public uint Count { get; private set; }

    /// <summary>Binds the next index to <paramref name="id"/> (if any); a name bound twice is malformed (Idctxt_ok).</summary>
    public uint Add(string? id, Token at)
    {
        if (id is not null)
        {
            if (!map.TryAdd(id, Count)) throw at.Error($"duplicate {Desc}");
            names.Add(new NameAssoc(Count, id));
        }
        return Count++;
    }

    public bool TryGet(string id, out uint index) => map.TryGetValue(id, out index);

    /// <summary>Gives index <paramref name="index"/> the debug name of an @name annotation (its id, if any, still binds).</summary>
    public void SetName(uint index, string? name)
    {
        if (name is null) return;
        int i = names.FindIndex(n => n.Index >= index);
        if (i < 0) names.Add(new NameAssoc(index, name));
        else if (names[i].Index == index) names[i] = new NameAssoc(index, name);
        else names.Insert(i, new NameAssoc(index, name));
    }

    public ImmutableArray<NameAssoc> Names => [.. names];
}

internal sealed partial class Parser
{
    private readonly List<Token> toks;
    private int pos;

    internal Parser(List<Token> tokens, int position = 0)
    {
        toks = tokens;
        pos = position;
    }

    /// <summary>The index of the next unread token.</summary>
    internal int Position { get => pos; init => pos = value; }

    // ---- Cursor ----

    private Token Peek(int k = 0) => toks[Math.Min(pos + k, toks.Count - 1)];
    private Token Next() { var t = Peek(); if (t.Kind != TokenKind.Eof) pos++; return t; }

    private bool IsKeyword(string kw, int k = 0) => Peek(k) is { Kind: TokenKind.Keyword } t && t.Text == kw;

    /// <summary>The next tokens are "(" kw.</summary>
    private bool IsForm(string kw, int k = 0) => Peek(k).Kind == TokenKind.LParen && IsKeyword(kw, k + 1);

    private bool IsRParen => Peek().Kind == TokenKind.RParen;

    private void ExpectLParen() { if (Peek().Kind != TokenKind.LParen) throw Unexpected(); pos++; }

    private void ExpectRParen() { if (Peek().Kind != TokenKind.RParen) throw Unexpected(); pos++; }

    private void ExpectKeyword(string kw) { if (!IsKeyword(kw)) throw Unexpected(); pos++; }

    /// <summary>Consumes "(" kw if they come next.</summary>
    private bool TryForm(string kw)
    {
        if (!IsForm(kw)) return false;
        pos += 2;
        return true;
    }

    private string? OptId() => Peek().Kind == TokenKind.Id ? Next().Text : null;

    /// <summary>
    /// The error for the next token where it does not fit: a word that is no token of the text format
    /// (a reserved token or an unknown keyword) is an "unknown operator", anything else an "unexpected token".
    /// </summary>
    private ParseException Unexpected() => Unexpected(Peek());

    private static ParseException Unexpected(Token t) =>
        t.Kind == TokenKind.Reserved || (t.Kind == TokenKind.Keyword && !IsKnownKeyword(t.Text))
            ? t.Error($"unknown operator {t.Text}")
            : t.Kind == TokenKind.Eof ? t.Error("unexpected end of input") : t.Error("unexpected token");

    private static bool IsKnownKeyword(string kw) =>
        StructuralKeywords.Contains(kw) || BlockKeywords.Contains(kw) || PlainInstrs.ContainsKey(kw) || ImmediateInstrs.Contains(kw)
        || kw.StartsWith("offset=", StringComparison.Ordinal) || kw.StartsWith("align=", StringComparison.Ordinal);

    private static readonly HashSet<string> StructuralKeywords =
    [
        "module", "type", "rec", "sub", "final", "func", "struct", "array", "field", "param", "result", "mut", "ref", "null",
        "import", "export", "tag", "global", "memory", "table", "elem", "data", "start", "local", "offset", "item", "declare",
        "then", "else", "end", "do", "catch", "catch_ref", "catch_all", "catch_all_ref", "delegate",
        "i32", "i64", "f32", "f64", "v128", "i8", "i16",
        "any", "eq", "i31", "none", "nofunc", "exn", "noexn", "extern", "noextern",
        "anyref", "eqref", "i31ref", "structref", "arrayref", "nullref", "funcref", "nullfuncref", "exnref",
        "nullexnref", "externref", "nullexternref", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
        "binary", "quote", "definition", "instance", "inf", "nan", "nan:canonical", "nan:arithmetic", "shared", "pagesize",
        "exact", "describes", "descriptor",
    ];

    // ---- Values (6.1) ----

    /// <summary>Tu32</summary>
    private uint U32()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Nat) throw Unexpected();
        pos++;
        if (!Literals.TryParseU(t.Text, 32, out var v)) throw t.Error("constant out of range");
        return (uint)v;
    }

    /// <summary>Tu64</summary>
    private ulong U64()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Nat) throw Unexpected();
        pos++;
        if (!Literals.TryParseU(t.Text, 64, out var v)) throw t.Error("constant out of range");
        return v;
    }

    /// <summary>Tname: a string that is well-formed UTF-8.</summary>
    private string Name()
    {
        var t = Peek();
        if (t.Kind != TokenKind.String) throw Unexpected();
        pos++;
        return t.Name;
    }

    /// <summary>Tidx_(ids): a u32 or a bound identifier.</summary>
    private uint Idx(IdSpace space)
    {
        var t = Peek();
        if (t.Kind == TokenKind.Nat) return U32();
        if (t.Kind != TokenKind.Id) throw Unexpected();
        pos++;
        return space.TryGet(t.Text, out var x) ? x : throw t.Error($"unknown {space.Desc}");
    }

    private bool IsIdx => Peek().Kind is TokenKind.Nat or TokenKind.Id;
}
